// Shared lists: create, read, replace or append/remove items, delete. Items are checked
// and de-duplicated per kind (contracts' normalizeListItems, so the web agrees); which
// rules use a list is read from their conditions; every change is announced on the
// control stream so every engine reloads the lists it evaluates.
import type { List, ListCreate, ListItemsChange, ListSummary, ListUpdate, ListUsage } from '@siem/contracts';
import { LIST_LIMITS, listItemKey, normalizeListItems } from '@siem/contracts';
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.ts';
import { STREAMS } from '../bus/bus.ts';
import type { ControlChannel } from './control.ts';
import { referencedLists } from '../engine/rules/list-refs.ts';
import { AppError, notFound, validationError } from '../errors.ts';
import { isObjectId, newObjectId } from '../lib/object-id.ts';
import { sqlState } from '../store/db.ts';
import type { Db } from '../store/db.ts';
import type { ListHead, ListRecord, ListsRepo } from '../store/lists-repo.ts';
import type { RulesRepo } from '../store/rules-repo.ts';
import type { Actor } from './rules.ts';

export const LISTS_CHANGED = 'lists_changed';

export interface ListServiceDeps {
  db: Db;
  lists: ListsRepo;
  rules: RulesRepo;
  bus: Bus;
  /** The typed control channel (announces list changes to every process). */
  control?: Pick<ControlChannel, 'announce'>;
  log: Logger;
  clock?: () => number;
  /** Called after every change, in this process (the local engine reloads at once). */
  onChange?: (listIds: string[]) => void;
}

function uniqueName<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((err: unknown) => {
    if (sqlState(err) === '23505') throw new AppError('CONFLICT_DUPLICATE', 'A list with this name already exists');
    throw err;
  });
}

const tooMany = (count: number) =>
  validationError(
    [{ field: 'items', message: `A list holds at most ${LIST_LIMITS.maxItems} items (this change would make ${count})`, type: 'too_long' }],
  );

/** The items of a body, canonical and unique; 422 naming each refused item. */
function checkedItems(kind: ListRecord['kind'], raw: readonly string[]): string[] {
  const { items, problems, refused } = normalizeListItems(kind, raw);
  if (problems.length > 0) {
    const more = refused > problems.length ? ` (the first ${problems.length} are listed)` : '';
    throw validationError(problems, `${refused} item${refused === 1 ? ' is' : 's are'} not valid for a list of kind '${kind}'${more}`);
  }
  return items;
}

export function createListService(deps: ListServiceDeps) {
  const { db, lists, rules, bus, log } = deps;
  const clock = deps.clock ?? Date.now;

  async function changed(listIds: string[]): Promise<void> {
    deps.onChange?.(listIds);
    // On the typed control channel when there is one (it retries while the bus is down).
    if (deps.control) return deps.control.announce({ type: LISTS_CHANGED, at: clock(), list_ids: listIds });
    try {
      await bus.publish(STREAMS.control, [JSON.stringify({ type: LISTS_CHANGED, at: clock(), list_ids: listIds })]);
    } catch (err) {
      // Engines in other processes also reload periodically; this one was told already.
      log.warn({ err, listIds }, 'could not announce a list change on the bus');
    }
  }

  /** list name -> the rules naming it, from every stored rule's conditions. */
  async function usage(): Promise<Map<string, ListUsage[]>> {
    const byName = new Map<string, ListUsage[]>();
    for (const rule of await rules.list()) {
      for (const name of referencedLists(rule.conditions)) {
        const users = byName.get(name) ?? [];
        users.push({ rule_id: rule.id, rule_name: rule.name });
        byName.set(name, users);
      }
    }
    return byName;
  }

  const summary = (head: ListHead, used: Map<string, ListUsage[]>): ListSummary => {
    const { items: _items, ...rest } = head as ListHead & { items?: unknown };
    return { ...rest, used_by: used.get(head.name) ?? [] };
  };
  const full = (record: ListRecord, used: Map<string, ListUsage[]>): List => ({ ...summary(record, used), items: record.items });

  async function find(id: string): Promise<ListRecord> {
    const list = isObjectId(id) ? await lists.findById(id) : null;
    if (!list) throw notFound('List');
    return list;
  }

  /** Read-modify-write of one list's items under a row lock, so concurrent edits both land. */
  async function editItems(id: string, actor: Actor, edit: (current: ListRecord) => string[]): Promise<List> {
    await find(id);
    const updated = await db.transaction(async (tx) => {
      const current = await lists.findById(id, tx, { forUpdate: true });
      if (!current) return null;
      return lists.update(id, { items: edit(current), updated_by: actor.username }, tx);
    });
    if (!updated) throw notFound('List');
    log.info({ list: updated.name, by: actor.username, items: updated.item_count }, 'list items changed');
    await changed([id]);
    return full(updated, await usage());
  }

  /** Appends items (those already present are skipped). */
  async function addItems(id: string, body: ListItemsChange, actor: Actor): Promise<List> {
    const kind = (await find(id)).kind;
    const adding = checkedItems(kind, body.items);
    return editItems(id, actor, (current) => {
      const merged = normalizeListItems(kind, [...current.items, ...adding]).items;
      if (merged.length > LIST_LIMITS.maxItems) throw tooMany(merged.length);
      return merged;
    });
  }

  return {
    async list(): Promise<ListSummary[]> {
      const [heads, used] = await Promise.all([lists.list(), usage()]);
      return heads.map((h) => summary(h, used));
    },

    async get(id: string): Promise<List> {
      return full(await find(id), await usage());
    },

    /** By name, for rule exceptions; null when there is none. */
    async findByName(name: string): Promise<ListRecord | null> {
      return lists.findByName(name);
    },

    async create(body: ListCreate, actor: Actor): Promise<List> {
      const items = checkedItems(body.kind, body.items);
      if ((await lists.count()) >= LIST_LIMITS.maxLists) {
        throw validationError([], `At most ${LIST_LIMITS.maxLists} lists can exist; delete one first`);
      }
      const created = await uniqueName(
        lists.insert({ id: newObjectId(clock()), name: body.name, kind: body.kind, description: body.description, items, created_by: actor.username }),
      );
      log.info({ list: created.name, kind: created.kind, by: actor.username, items: created.item_count }, 'list created');
      await changed([created.id]);
      return full(created, await usage());
    },

    async update(id: string, patch: ListUpdate, actor: Actor): Promise<List> {
      const current = await find(id);
      if (patch.description === undefined && patch.items === undefined) {
        throw new AppError('VALIDATION_NOTHING_TO_UPDATE', 'No fields to update');
      }
      const items = patch.items === undefined ? undefined : checkedItems(current.kind, patch.items);
      const updated = await lists.update(id, { description: patch.description, items, updated_by: actor.username });
      if (!updated) throw notFound('List');
      log.info({ list: updated.name, by: actor.username, items: updated.item_count }, 'list updated');
      await changed([id]);
      return full(updated, await usage());
    },

    addItems,

    /** Removes items (matched like duplicates: exactly for addresses, case-insensitively otherwise); absent ones are ignored. */
    async removeItems(id: string, body: ListItemsChange, actor: Actor): Promise<List> {
      const kind = (await find(id)).kind;
      const gone = new Set(checkedItems(kind, body.items).map((item) => listItemKey(kind, item)));
      return editItems(id, actor, (current) => current.items.filter((item) => !gone.has(listItemKey(kind, item))));
    },

    /** Adds one value to a list by name (rule exceptions); the list as it now stands. */
    async addValue(name: string, value: string, actor: Actor): Promise<ListSummary> {
      const list = await lists.findByName(name);
      if (!list) throw notFound('List');
      const result = await addItems(list.id, { items: [value] }, actor);
      const { items: _items, ...head } = result;
      return head;
    },

    async remove(id: string, actor: Actor): Promise<{ deleted: true }> {
      const list = await find(id);
      const users = (await usage()).get(list.name) ?? [];
      if (users.length > 0) {
        const names = users.map((u) => `'${u.rule_name}'`).join(', ');
        throw new AppError('CONFLICT_IN_USE', `List '${list.name}' is used by ${users.length === 1 ? 'rule' : 'rules'} ${names}: remove it from them first`);
      }
      if (!(await lists.remove(id))) throw notFound('List');
      log.info({ list: list.name, by: actor.username }, 'list deleted');
      await changed([id]);
      return { deleted: true };
    },
  };
}
export type ListService = ReturnType<typeof createListService>;
