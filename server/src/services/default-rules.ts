// The shipped detections in the store: installed once at first start, and restorable by
// an admin (missing ones re-created, edited ones reset to their shipped definition).
import type { Logger } from 'pino';
import { newObjectId } from '../lib/object-id.ts';
import { DEFAULT_RULES } from '../scenarios/default-rules.ts';
import type { AppStateRepo } from '../store/app-state-repo.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { RulesRepo } from '../store/rules-repo.ts';

const INSTALLED_FLAG = 'default_rules_installed';

export function createDefaultRulesService(deps: { db: Db; rules: RulesRepo; appState: AppStateRepo; log: Logger; onChange: () => Promise<void> | void }) {
  const { db, rules } = deps;

  /** Creates or resets every shipped rule; returns how many were created and reset. */
  async function apply(reset: boolean, tx: Queryable): Promise<{ created: number; reset: number }> {
    let created = 0;
    let resetCount = 0;
    for (const { key, rule } of DEFAULT_RULES) {
      const existing = await rules.findByBuiltinKey(key, tx);
      if (!existing) {
        // A user rule may already use the shipped name: keep theirs, suffix ours.
        const taken = (await tx.query('SELECT 1 FROM correlation_rules WHERE name = $1', [rule.name])).rows.length > 0;
        await rules.insert({ id: newObjectId(), ...rule, name: taken ? `${rule.name} (shipped)` : rule.name, builtin_key: key }, tx);
        created++;
      } else if (reset) {
        const { rule_type: _type, ...shipped } = rule;
        await rules.update(existing.id, { ...shipped, name: existing.name }, tx);
        resetCount++;
      }
    }
    return { created, reset: resetCount };
  }

  return {
    /** First start only: a later start leaves the admin's choices (deleted rules) alone. */
    async installOnce(): Promise<number> {
      const created = await db.transaction(async (tx) => {
        if (!(await deps.appState.claim(INSTALLED_FLAG, { at: new Date().toISOString() }, tx))) return 0;
        return (await apply(false, tx)).created;
      });
      if (created > 0) {
        deps.log.info({ created }, 'installed the shipped detection rules');
        await deps.onChange();
      }
      return created;
    },

    async restore(): Promise<{ created: number; reset: number; total: number }> {
      const result = await db.transaction((tx) => apply(true, tx));
      await deps.onChange();
      return { ...result, total: DEFAULT_RULES.length };
    },
  };
}
export type DefaultRulesService = ReturnType<typeof createDefaultRulesService>;
