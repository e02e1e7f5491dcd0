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
/** The shipped keys this installation has been offered: a key new in a release is installed once. */
const OFFERED_KEY = 'default_rules_offered';
/** What releases before per-key tracking shipped: an installation with only the flag was offered these. */
export const FIRST_RELEASE_KEYS: readonly string[] = [
  'builtin.auth.password-guessing', 'builtin.auth.failures-from-source', 'builtin.auth.password-spraying',
  'builtin.auth.success-after-failures', 'builtin.auth.ssh-fan-out', 'builtin.endpoint.office-spawns-interpreter',
  'builtin.endpoint.powershell-encoded', 'builtin.endpoint.service-spawns-shell', 'builtin.endpoint.reverse-shell-dev-tcp',
  'builtin.endpoint.sudo-shell-escape', 'builtin.endpoint.cron-persistence', 'builtin.endpoint.ssh-authorized-keys',
  'builtin.network.port-scan', 'builtin.network.host-sweep', 'builtin.network.ids-exploit',
  'builtin.network.dns-unique-burst', 'builtin.network.dns-txt-tunnel', 'builtin.network.http-beacon',
];

export function createDefaultRulesService(deps: { db: Db; rules: RulesRepo; audit: RuleAuditRepo; appState: AppStateRepo; log: Logger; onChange: () => Promise<void> | void }) {
  const { db, rules, audit } = deps;
  const plain = ({ builtin_key: _key, ...rule }: RuleRecord) => rule;

  /** Creates or resets every shipped rule; returns how many were created and reset. */
  async function apply(reset: boolean, tx: Queryable, actor: Actor | null, only?: ReadonlySet<string>): Promise<{ created: number; reset: number }> {
    const by = { user_id: actor?.id ?? null, username: actor?.username ?? null };
    let created = 0;
    let resetCount = 0;
    for (const { key, rule } of DEFAULT_RULES) {
      if (only && !only.has(key)) continue;
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
    /**
     * Installs every shipped rule at first start, and at later starts the rules a new release
     * added: a rule once offered is never re-created, so the admin's choices (deleted rules)
     * stay. Processes starting together serialize on the offered list's row.
     */
    async installOnce(): Promise<number> {
      const created = await db.transaction(async (tx) => {
        const first = await deps.appState.claim(INSTALLED_FLAG, { at: new Date().toISOString() }, tx);
        await deps.appState.claim(OFFERED_KEY, first ? [] : FIRST_RELEASE_KEYS, tx);
        const offered = new Set((await deps.appState.getForUpdate<string[]>(OFFERED_KEY, tx)) ?? []);
        const fresh = new Set(DEFAULT_RULES.map((r) => r.key).filter((key) => !offered.has(key)));
        if (fresh.size === 0) return 0;
        const { created: n } = await apply(false, tx, null, fresh);
        await deps.appState.put(OFFERED_KEY, [...offered, ...fresh], tx);
        return n;
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
