// The shipped detections in the store: installed once at first start, and restorable by
// an admin (missing ones re-created, edited ones reset to their shipped definition). Both
// land in the rules' history like any other change.
import type { Logger } from 'pino';
import { newObjectId } from '../lib/object-id.ts';
import { DEFAULT_RULES } from '../scenarios/default-rules.ts';
import type { AppStateRepo } from '../store/app-state-repo.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { RuleRecord, RulesRepo } from '../store/rules-repo.ts';
import type { RuleAuditRepo } from '../store/rule-audit-repo.ts';
import { ruleChanges } from './rule-audit.ts';
import type { Actor } from './rules.ts';

const INSTALLED_FLAG = 'default_rules_installed';

export function createDefaultRulesService(deps: { db: Db; rules: RulesRepo; audit: RuleAuditRepo; appState: AppStateRepo; log: Logger; onChange: () => Promise<void> | void }) {
  const { db, rules, audit } = deps;
  const plain = ({ builtin_key: _key, ...rule }: RuleRecord) => rule;

  /** Creates or resets every shipped rule; returns how many were created and reset. */
  async function apply(reset: boolean, tx: Queryable, actor: Actor | null): Promise<{ created: number; reset: number }> {
    const by = { user_id: actor?.id ?? null, username: actor?.username ?? null };
    let created = 0;
    let resetCount = 0;
    for (const { key, rule } of DEFAULT_RULES) {
      const existing = await rules.findByBuiltinKey(key, tx);
      if (!existing) {
        // A user rule may already use the shipped name: keep theirs, suffix ours.
        const taken = (await tx.query('SELECT 1 FROM correlation_rules WHERE name = $1', [rule.name])).rows.length > 0;
        const row = await rules.insert({ id: newObjectId(), ...rule, name: taken ? `${rule.name} (shipped)` : rule.name, builtin_key: key }, tx);
        await audit.record({ ...by, rule_id: row.id, rule_name: row.name, action: 'created', changes: ruleChanges(null, plain(row)) }, tx);
        created++;
      } else if (reset) {
        const { rule_type: _type, ...shipped } = rule;
        const row = (await rules.update(existing.id, { ...shipped, name: existing.name }, tx))!;
        const changes = ruleChanges(plain(existing), plain(row));
        if (Object.keys(changes).length > 0) await audit.record({ ...by, rule_id: row.id, rule_name: row.name, action: 'restored', changes }, tx);
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
        return (await apply(false, tx, null)).created;
      });
      if (created > 0) {
        deps.log.info({ created }, 'installed the shipped detection rules');
        await deps.onChange();
      }
      return created;
    },

    async restore(actor: Actor | null): Promise<{ created: number; reset: number; total: number }> {
      const result = await db.transaction((tx) => apply(true, tx, actor));
      await deps.onChange();
      return { ...result, total: DEFAULT_RULES.length };
    },
  };
}
export type DefaultRulesService = ReturnType<typeof createDefaultRulesService>;
