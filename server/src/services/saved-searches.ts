// Saved searches: an account's named log searches, and the ones others shared. Visible:
// one's own and shared ones; changed or deleted only by the owner or an admin; at most
// SAVED_SEARCH_LIMITS.perUser per account, names unique per owner.
import { SAVED_SEARCH_LIMITS } from '@siem/contracts';
import type { Role, SavedSearch, SavedSearchCreate, SavedSearchUpdate } from '@siem/contracts';
import { AppError, notFound } from '../errors.ts';
import { isObjectId, newObjectId } from '../lib/object-id.ts';
import { sqlState, type Db } from '../store/db.ts';
import type { SavedSearchRecord, SavedSearchesRepo } from '../store/saved-searches-repo.ts';

export interface Caller {
  id: string;
  role: Role;
}

/** Listed at most: one's own (at most perUser) and the shared ones of others. */
const LIST_MAX = 1000;

function uniqueName<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((err: unknown) => {
    if (sqlState(err) === '23505') throw new AppError('CONFLICT_DUPLICATE', 'You already have a saved search with this name');
    throw err;
  });
}

export function createSavedSearchService(deps: { db: Pick<Db, 'transaction'>; repo: SavedSearchesRepo }) {
  const { repo } = deps;
  const mayEdit = (s: SavedSearchRecord, caller: Caller) => s.owner_id === caller.id || caller.role === 'admin';
  const view = (s: SavedSearchRecord, caller: Caller): SavedSearch => ({ ...s, editable: mayEdit(s, caller) });

  /** The search if the caller may see it: own, shared, or any for an admin; else 404. */
  async function visible(id: string, caller: Caller): Promise<SavedSearchRecord> {
    const found = isObjectId(id) ? await repo.findById(id) : null;
    if (!found || !(found.shared || mayEdit(found, caller))) throw notFound('SavedSearch');
    return found;
  }

  async function editable(id: string, caller: Caller): Promise<SavedSearchRecord> {
    const found = await visible(id, caller);
    if (!mayEdit(found, caller)) throw new AppError('FORBIDDEN_NOT_OWNER', 'Only the owner of a saved search or an admin may change or delete it');
    return found;
  }

  const getOne = async (id: string, caller: Caller): Promise<SavedSearch> => view(await visible(id, caller), caller);

  return {
    async list(caller: Caller): Promise<SavedSearch[]> {
      return (await repo.visibleTo(caller.id, LIST_MAX)).map((s) => view(s, caller));
    },

    get: getOne,

    async create(body: SavedSearchCreate, caller: Caller): Promise<SavedSearch> {
      const id = newObjectId();
      await uniqueName(
        deps.db.transaction(async (tx) => {
          await repo.lockOwner(caller.id, tx);
          if ((await repo.countOwned(caller.id, tx)) >= SAVED_SEARCH_LIMITS.perUser) {
            throw new AppError('SAVED_SEARCH_LIMIT', `An account may keep at most ${SAVED_SEARCH_LIMITS.perUser} saved searches: delete one first`);
          }
          await repo.insert({ id, owner_id: caller.id, name: body.name, description: body.description, params: body.params, shared: body.shared }, tx);
        }),
      );
      return getOne(id, caller);
    },

    async update(id: string, body: SavedSearchUpdate, caller: Caller): Promise<SavedSearch> {
      await editable(id, caller);
      if (Object.values(body).every((v) => v === undefined)) throw new AppError('VALIDATION_NOTHING_TO_UPDATE', 'Nothing to update: give name, description, params or shared');
      await uniqueName(repo.update(id, body));
      return getOne(id, caller);
    },

    async remove(id: string, caller: Caller): Promise<{ deleted: true }> {
      await editable(id, caller);
      await repo.remove(id);
      return { deleted: true };
    },
  };
}
export type SavedSearchService = ReturnType<typeof createSavedSearchService>;
