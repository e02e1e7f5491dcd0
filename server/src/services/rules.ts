// Correlation rules: CRUD with conditions validated (and trial-compiled) per rule type,
// every change audited in the same transaction (who, when, which fields), change
// notification so every engine reloads within a second, and the dry-run test that
// replays stored history through a fresh copy of the rule.
import type { Rule, RuleCreate, RuleHistoryEntry, RuleTestResult, RuleType, RuleUpdate, RuleWarning } from '@siem/contracts';
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.ts';
import { createCorrelationEngine } from '../engine/correlation/index.ts';
import type { Firing } from '../engine/correlation/index.ts';
import { toEngineEvent } from '../engine/correlation/event.ts';
import type { CompileContext } from '../engine/rules/compile.ts';
import { listResolver, NO_LISTS, type SharedList } from '../engine/rules/lists.ts';
import { checkConditions, prepareRule } from '../engine/rules/load.ts';
import { fieldNamesOf } from '../engine/rules/field-names.ts';
import type { RuleProblem } from '../engine/rules/load.ts';
import { RuleCompileError } from '../engine/rules/errors.ts';
import type { CompiledRule } from '../engine/rules/index.ts';
import { AppError, notFound, validationError } from '../errors.ts';
import { newObjectId } from '../lib/object-id.ts';
import { zodDetails } from '../lib/zod-details.ts';
import { sqlState } from '../store/db.ts';
import type { Db } from '../store/db.ts';
import type { EventsRepo, ReplayCursor } from '../store/events-repo.ts';
import type { RuleRecord, RulesRepo } from '../store/rules-repo.ts';
import type { RuleAuditRepo } from '../store/rule-audit-repo.ts';
import { publishControl } from './control.ts';
import type { ControlChannel, ControlMessage } from './control.ts';
import { ruleChanges } from './rule-audit.ts';

/** Who makes a change; null for the server itself (shipped rules). */
export interface Actor {
  id: string;
  username: string;
}

export interface RuleServiceDeps {
  db: Db;
  rules: RulesRepo;
  audit: RuleAuditRepo;
  events: EventsRepo;
  bus: Bus;
  /** Announces changes to every process (retrying while the bus is down); default: a plain publish on `bus`. */
  control?: Pick<ControlChannel, 'announce'>;
  log: Logger;
  cooldownMs: number;
  testMaxEvents: number;
  /** Rule tests replaying at once in this process; more answer 429 (default 2). */
  testMaxConcurrent?: number;
  /** Events read per page of a rule test (default 500: one page is one short turn of the store). */
  testPageSize?: number;
  /** Counts running rule tests (metrics gauge). */
  onTestsRunning?: (running: number) => void;
  clock?: () => number;
  /** Called after every change, in this process (the engine reloads at once). */
  onChange?: () => void;
  /** The shared lists rules may reference (in_list); none when absent. */
  lists?: () => Promise<SharedList[]>;
  /**
   * Of the field names given, those no stored event carries (the field catalog's answer);
   * a rule naming one gets a warning. No warnings when absent.
   */
  unseenFields?: (names: string[]) => Promise<string[]>;
}

const HISTORY_MAX = 1000;

const by = (actor: Actor | null) => ({ user_id: actor?.id ?? null, username: actor?.username ?? null });

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function toRule(r: RuleRecord): Rule {
  const { builtin_key: _builtin, ...rule } = r;
  return rule;
}

function conditionsError(problem: RuleProblem, conditions: unknown): AppError {
  if (problem instanceof RuleCompileError) return validationError([problem.detail]);
  return validationError(zodDetails(problem, conditions));
}

function uniqueName<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((err: unknown) => {
    if (sqlState(err) === '23505') throw new AppError('CONFLICT_DUPLICATE', 'A rule with this name already exists');
    throw err;
  });
}

export function createRuleService(deps: RuleServiceDeps) {
  const { db, rules, audit, events, bus, log } = deps;
  const clock = deps.clock ?? Date.now;
  const testMaxConcurrent = deps.testMaxConcurrent ?? 2;
  const testPageSize = deps.testPageSize ?? 500;
  let testsRunning = 0;

  /**
   * Streams history through a fresh engine page by page (only the columns correlation
   * reads, at most testMaxEvents rows, counted in SQL), yielding between pages so health
   * checks and other queries get the store in between.
   */
  async function replayHistory(rule: CompiledRule, sinceMs: number): Promise<{ evaluated: number; firings: Firing[] }> {
    const engine = createCorrelationEngine({ cooldownMs: deps.cooldownMs });
    engine.setRules([rule]);
    const firings: Firing[] = [];
    let evaluated = 0;
    let cursor: ReplayCursor | null = null;
    do {
      const page = await events.replayPage(sinceMs, cursor, Math.min(testPageSize, deps.testMaxEvents - evaluated), { raw: rule.usesRaw });
      for (const input of page.events) {
        const fired = engine.process(toEngineEvent(input));
        for (let i = 0; i < fired.length; i++) firings.push(fired[i]!);
      }
      evaluated += page.events.length;
      cursor = page.next;
      await yieldToLoop();
    } while (cursor && evaluated < deps.testMaxEvents);
    return { evaluated, firings };
  }

  const control = deps.control ?? {
    announce: (message: ControlMessage) =>
      // Engines in other processes also reload periodically; this one reloads already.
      publishControl(bus, message).catch((err: unknown) => log.warn({ err }, 'could not announce a rule change on the bus')),
  };

  /** Reloads this process's engine at once and tells the others (within a second). */
  async function changed(ruleIds?: string[]): Promise<void> {
    deps.onChange?.();
    await control.announce({ type: 'rules_changed', at: clock(), ...(ruleIds ? { rule_ids: ruleIds } : {}) });
  }

  async function find(id: string): Promise<RuleRecord> {
    const rule = /^[0-9a-f]{24}$/.test(id) ? await rules.findById(id) : null;
    if (!rule) throw notFound('CorrelationRule');
    return rule;
  }

  /** Accepted names that no stored event carries: the rule cannot match until one does. */
  async function warningsFor(conditions: unknown): Promise<RuleWarning[]> {
    if (!deps.unseenFields) return [];
    const named = fieldNamesOf(conditions);
    const unseen = await deps.unseenFields(named.map((f) => f.name)).catch((err: unknown) => {
      log.warn({ err }, 'could not read the field catalog; no field warnings');
      return null;
    });
    if (unseen === null || unseen.length === 0) return [];
    const missing = new Set(unseen);
    const warnings: RuleWarning[] = [];
    for (const { name, path } of named) {
      if (!missing.has(name)) continue;
      warnings.push({ field: path, message: `No stored event carries '${name}' yet: the rule cannot match it until one does (check the spelling, or send such events)` });
      if (warnings.length >= 50) break;
    }
    return warnings;
  }

  async function context(): Promise<CompileContext> {
    return { lists: deps.lists ? listResolver(await deps.lists()) : NO_LISTS };
  }

  async function check(ruleType: RuleType, conditions: unknown): Promise<void> {
    const result = checkConditions(ruleType, conditions, await context());
    if (!result.ok) throw conditionsError(result.error, conditions);
  }

  return {
    /** Tells every engine to reload (used after changes made outside this service). */
    announceChange: () => changed(),

    async list(): Promise<Rule[]> {
      return (await rules.list()).map(toRule);
    },

    async get(id: string): Promise<Rule> {
      return toRule(await find(id));
    },

    async create(body: Omit<RuleCreate, 'tags'> & { tags?: string[] }, actor: Actor | null, opts: { builtinKey?: string } = {}): Promise<Rule> {
      await check(body.rule_type, body.conditions);
      const created = await uniqueName(db.transaction(async (tx) => {
        const row = await rules.insert({
          id: newObjectId(clock()),
          name: body.name,
          description: body.description,
          rule_type: body.rule_type,
          conditions: body.conditions,
          severity: body.severity,
          enabled: body.enabled,
          mitre_tactic: body.mitre_tactic,
          mitre_technique: body.mitre_technique,
          cooldown_seconds: body.cooldown_seconds,
          suppression: body.suppression,
          tags: body.tags ?? [],
          builtin_key: opts.builtinKey ?? null,
        }, tx);
        await audit.record({ ...by(actor), rule_id: row.id, rule_name: row.name, action: 'created', changes: ruleChanges(null, toRule(row)) }, tx);
        return row;
      }));
      await changed([created.id]);
      return { ...toRule(created), warnings: await warningsFor(created.conditions) };
    },

    async update(id: string, patch: RuleUpdate, actor: Actor | null): Promise<Rule> {
      const current = await find(id);
      if (patch.conditions !== undefined) await check(current.rule_type, patch.conditions);
      const updated = await uniqueName(db.transaction(async (tx) => {
        // Locked so two concurrent edits each record the diff against what they replaced.
        const before = await rules.findById(id, tx, { forUpdate: true });
        if (!before) return null;
        const { suppression, ...rest } = patch;
        const row = await rules.update(id, { ...rest, ...(suppression === undefined ? {} : { suppression: suppression === false ? null : suppression }) }, tx);
        if (!row) return null;
        const changes = ruleChanges(toRule(before), toRule(row));
        const fields = Object.keys(changes);
        if (fields.length > 0) {
          const action = fields.length === 1 && fields[0] === 'enabled' ? (row.enabled ? 'enabled' : 'disabled') : 'updated';
          await audit.record({ ...by(actor), rule_id: id, rule_name: row.name, action, changes }, tx);
        }
        return row;
      }));
      if (!updated) throw notFound('CorrelationRule');
      await changed([id]);
      return patch.conditions === undefined ? toRule(updated) : { ...toRule(updated), warnings: await warningsFor(updated.conditions) };
    },

    /**
     * Read-modify-write of a rule's conditions under its row lock (rule exceptions): the
     * result is validated, audited and announced like any update. `edit` gets a copy and
     * returns null when there is nothing to change.
     */
    async editConditions(id: string, edit: (conditions: Record<string, unknown>) => Record<string, unknown> | null, actor: Actor | null): Promise<Rule> {
      await find(id);
      // Lists read before the transaction: PGlite serves one session, so a read outside it would wait on it.
      const ctx = await context();
      const updated = await db.transaction(async (tx) => {
        const before = await rules.findById(id, tx, { forUpdate: true });
        if (!before) return null;
        const conditions = edit(structuredClone(before.conditions));
        if (conditions === null) return { row: before, changed: false };
        const result = checkConditions(before.rule_type, conditions, ctx);
        if (!result.ok) throw conditionsError(result.error, conditions);
        const row = await rules.update(id, { conditions }, tx);
        if (!row) return null;
        const changes = ruleChanges(toRule(before), toRule(row));
        if (Object.keys(changes).length > 0) await audit.record({ ...by(actor), rule_id: id, rule_name: row.name, action: 'updated', changes }, tx);
        return { row, changed: true };
      });
      if (!updated) throw notFound('CorrelationRule');
      if (updated.changed) await changed();
      return toRule(updated.row);
    },

    async remove(id: string, actor: Actor | null): Promise<{ deleted: true }> {
      await find(id);
      const removed = await db.transaction(async (tx) => {
        const before = await rules.findById(id, tx, { forUpdate: true });
        if (!before || !(await rules.remove(id, tx))) return false;
        await audit.record({ ...by(actor), rule_id: id, rule_name: before.name, action: 'deleted', changes: ruleChanges(toRule(before), null) }, tx);
        return true;
      });
      if (!removed) throw notFound('CorrelationRule');
      await changed([id]);
      return { deleted: true };
    },

    /** Its recorded changes (the newest HISTORY_MAX), oldest first; also for a rule deleted since. */
    async history(id: string): Promise<RuleHistoryEntry[]> {
      const entries = /^[0-9a-f]{24}$/.test(id) ? await audit.list(id, HISTORY_MAX) : [];
      if (entries.length === 0) await find(id);
      return entries.map((e) => ({ action: e.action, by: e.username, user_id: e.user_id, at: e.at, rule_name: e.rule_name, changes: e.changes }));
    },

    /** Replay events since (now truncated to the minute) - hours, fresh state, nothing persisted. */
    async test(id: string, hours: number): Promise<RuleTestResult> {
      const rule = await find(id);
      const prepared = prepareRule(rule, await context());
      if (!prepared.ok) throw conditionsError(prepared.error, rule.conditions);
      const since = Math.floor(clock() / 60_000) * 60_000 - hours * 3_600_000;
      if (testsRunning >= testMaxConcurrent) {
        throw new AppError('RULE_TEST_BUSY', `${testsRunning} rule tests are already running; retry in a few seconds`, { retryAfter: 5 });
      }
      testsRunning += 1;
      deps.onTestsRunning?.(testsRunning);
      let evaluated: number;
      let firings: Firing[];
      try {
        ({ evaluated, firings } = await replayHistory(prepared.rule, since));
      } finally {
        testsRunning -= 1;
        deps.onTestsRunning?.(testsRunning);
      }
      return {
        rule_id: rule.id,
        rule_name: rule.name,
        events_evaluated: evaluated,
        alerts_would_fire: firings.length,
        alerts: firings.map((f) => ({
          // A single-event rule without group_by has no group: "" keeps v1's string type.
          group_value: f.group_value ?? '',
          matched_event_count: f.matched_event_count,
          matched_event_ids: f.matched_event_ids,
          fired_at: new Date(f.fired_at_ms).toISOString(),
        })),
      };
    },
  };
}
export type RuleService = ReturnType<typeof createRuleService>;
