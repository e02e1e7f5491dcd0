// Helpers the case services share: the actor, id checks, assignee resolution, bounds and
// the short excerpts the timeline keeps of long texts.
import type { Severity } from '@siem/contracts';
import { SEVERITIES } from '@siem/contracts';
import { AppError, notFound, validationError } from '../errors.ts';
import { isObjectId } from '../lib/object-id.ts';
import type { Queryable } from '../store/db.ts';
import type { CasesRepo } from '../store/cases-repo.ts';

/** Who acts: the authenticated account. */
export interface Actor {
  id: string;
  username: string;
}

/** Longest text a timeline entry keeps of a description, a note or a comment. */
export const EXCERPT_MAX = 200;

export function excerpt(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text.length <= EXCERPT_MAX ? text : `${text.slice(0, EXCERPT_MAX - 1)}…`;
}

export function caseIdOrThrow(id: string): string {
  if (!isObjectId(id)) throw notFound('Case');
  return id;
}

/** Resolves an assignee name (or `me`) to an active account; 422 naming `field` otherwise. */
export async function resolveAssignee(
  repo: CasesRepo,
  name: string,
  actor: Actor,
  field: string,
  q?: Queryable,
): Promise<{ id: string; username: string }> {
  if (name === 'me') return { id: actor.id, username: actor.username };
  const user = await repo.activeUser(name, q);
  if (!user) throw validationError([{ field, message: `No active user named '${name}'`, type: 'value_error' }], 'Unknown assignee');
  return user;
}

export function limitReached(what: string, max: number): AppError {
  return new AppError('CASE_LIMIT_REACHED', `A case holds at most ${max} ${what}`);
}

/** The most severe of the given severities; `fallback` when there are none. */
export function highestSeverity(values: Severity[], fallback: Severity): Severity {
  let best = -1;
  for (const v of values) {
    const rank = SEVERITIES.length - SEVERITIES.indexOf(v);
    if (rank > best) best = rank;
  }
  return best < 0 ? fallback : SEVERITIES[SEVERITIES.length - best]!;
}

/** 422 naming each id of `ids` that is not in `found`. */
export function requireKnown(ids: string[], found: Set<string>, field: string, entity: string): void {
  const details = ids.flatMap((id, i) => (found.has(id) ? [] : [{ field: `${field}.${i}`, message: `${entity} not found`, type: 'value_error' }]));
  if (details.length > 0) throw validationError(details);
}
