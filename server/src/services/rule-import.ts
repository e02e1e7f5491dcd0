// Sigma import: translate a batch (engine/sigma), check every rule exactly as a created rule
// is checked, then in one transaction create each rule, or update in place the rule with the
// same Sigma id (its exceptions, enabled flag and name kept), each change in the rule's
// history. Engines are told once per batch. A dry run answers the same, storing nothing.
import {
  checkJsonShape,
  RULE_IMPORT_LIMITS,
  RULE_TYPES,
  RuleImportRequestSchema,
  ruleTagsFrom,
  type Rule,
  type RuleImportItem,
  type RuleImportResult,
} from '@siem/contracts';
import { translateSigma, SigmaBoundsError, type DocumentResult, type TranslatedRule } from '../engine/sigma/index.ts';
import type { CompileContext } from '../engine/rules/compile.ts';
import { checkConditions, describeProblem } from '../engine/rules/load.ts';
import { RuleCompileError } from '../engine/rules/errors.ts';
import { listResolver, NO_LISTS, type SharedList } from '../engine/rules/lists.ts';
import { AppError, validationError } from '../errors.ts';
import { newObjectId } from '../lib/object-id.ts';
import { zodDetails } from '../lib/zod-details.ts';
import { sqlState } from '../store/db.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { RuleRecord, RulesRepo } from '../store/rules-repo.ts';
import type { RuleAuditRepo, RuleChanges } from '../store/rule-audit-repo.ts';
import { ruleChanges } from './rule-audit.ts';
import type { Actor } from './rules.ts';

export interface RuleImportDeps {
  db: Db;
  rules: RulesRepo;
  audit: RuleAuditRepo;
  /** Tells every engine the rules changed (the rules service's announceChange); once per batch. */
  announce: () => Promise<void>;
  /** The shared lists (in_list), as the rules service has them: kept exceptions may name one. */
  lists?: () => Promise<SharedList[]>;
  clock?: () => number;
}

const NAME_MAX = 200;
const MAX_SUFFIX = 1000;
// Body strings carry whole files: the import's own size bound (413) applies to them, not the generic one.
const BODY_SHAPE = { maxDepth: 8, maxKeys: 10_000, maxStringLength: 4 * RULE_IMPORT_LIMITS.maxBytes, forbidProtoKey: true } as const;

type Candidate = { result: DocumentResult & { outcome: 'translated' }; rule: TranslatedRule };

function item(r: DocumentResult, status: RuleImportItem['status'], extra: Partial<RuleImportItem> = {}): RuleImportItem {
  const refused = r.outcome === 'refused';
  return {
    file: r.file,
    document: r.document,
    title: r.title,
    sigma_id: r.sigma_id,
    status,
    rule_id: null,
    rule_type: r.outcome === 'translated' ? r.rule.rule_type : null,
    reason: r.outcome === 'translated' ? null : r.reason,
    location: refused && (r.field || r.modifier) ? { ...(r.field ? { field: r.field } : {}), ...(r.modifier ? { modifier: r.modifier } : {}) } : null,
    warnings: r.warnings,
    ...extra,
  };
}

/** Key order does not count: jsonb hands objects back with its own order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const plain = ({ builtin_key: _key, ...rule }: RuleRecord): Rule => rule as Rule;

/** The rules service's check of a create (schema, then a trial compile); a failure is the refusal's reason. */
function checkRule(rule: TranslatedRule, conditions: Record<string, unknown>, ctx: CompileContext): { reason: string; field?: string } | null {
  if (!(RULE_TYPES as readonly string[]).includes(rule.rule_type)) {
    return { reason: `rule type '${rule.rule_type}' is not supported by this server (supported: ${RULE_TYPES.join(', ')})` };
  }
  const checked = checkConditions(rule.rule_type as (typeof RULE_TYPES)[number], conditions, ctx);
  if (checked.ok) return null;
  const path = checked.error instanceof RuleCompileError ? checked.error.detail.field : checked.error.issues[0]?.path.join('.');
  return { reason: `our rule check: ${describeProblem(checked.error)}`, ...(path ? { field: `conditions.${path}` } : {}) };
}

export function createRuleImportService(deps: RuleImportDeps) {
  const { db, rules, audit } = deps;
  const clock = deps.clock ?? Date.now;

  async function freeName(title: string, tx: Queryable, assigned: Set<string>): Promise<string> {
    for (let n = 1; n <= MAX_SUFFIX; n++) {
      const suffix = n === 1 ? '' : ` (${n})`;
      const name = `${title.slice(0, NAME_MAX - suffix.length)}${suffix}`;
      if (assigned.has(name)) continue;
      if ((await rules.namesTaken([name], tx)).size === 0) return name;
    }
    throw new AppError('CONFLICT_DUPLICATE', `More than ${MAX_SUFFIX} rules are named '${title}'`);
  }

  /** One translated rule against the store: created, updated, unchanged or refused (rule type changed). */
  async function apply(c: Candidate, tx: Queryable, opts: { enabled: boolean; dryRun: boolean; actor: Actor | null; assigned: Set<string>; ctx: CompileContext }): Promise<RuleImportItem> {
    const { result, rule } = c;
    const by = { user_id: opts.actor?.id ?? null, username: opts.actor?.username ?? null };
    const existing = rule.origin.id ? await rules.findBySigmaId(rule.origin.id, tx, { forUpdate: !opts.dryRun }) : null;
    // The analysts' exceptions stay: Sigma filters live in event_filter, never in exceptions.
    const exceptions = existing ? (existing.conditions as { exceptions?: unknown }).exceptions : undefined;
    const conditions = exceptions === undefined ? rule.conditions : { ...rule.conditions, exceptions };
    const problem = checkRule(rule, conditions, opts.ctx);
    if (problem) return item(result, 'refused', { reason: problem.reason, location: problem.field ? { field: problem.field } : null, rule_id: existing?.id ?? null });
    if (!existing) {
      const name = await freeName(rule.name, tx, opts.assigned);
      opts.assigned.add(name);
      const warnings = name === rule.name ? result.warnings : [...result.warnings, `named '${name}': '${rule.name}' is taken`];
      if (opts.dryRun) return item(result, 'created', { warnings });
      const row = await rules.insert({
        id: newObjectId(clock()),
        name,
        description: rule.description,
        rule_type: rule.rule_type as RuleRecord['rule_type'],
        conditions: rule.conditions,
        severity: rule.severity,
        enabled: opts.enabled,
        mitre_tactic: rule.mitre_tactic,
        mitre_technique: rule.mitre_technique,
        cooldown_seconds: null,
        builtin_key: null,
        origin: rule.origin as unknown as Record<string, unknown>,
        mitre_techniques: rule.mitre_techniques,
        tags: rule.tags,
      }, tx);
      await audit.record({ ...by, rule_id: row.id, rule_name: row.name, action: 'created', changes: withImportFields(ruleChanges(null, plain(row)), null, row) }, tx);
      return item(result, 'created', { rule_id: row.id, warnings });
    }
    if (existing.rule_type !== rule.rule_type) {
      return item(result, 'refused', {
        rule_id: existing.id,
        reason: `the rule with this Sigma id is a ${existing.rule_type} rule and a rule's type cannot change: delete it and import again`,
        location: { field: 'id' },
      });
    }
    const patch = {
      description: rule.description,
      conditions,
      severity: rule.severity,
      mitre_tactic: rule.mitre_tactic,
      mitre_technique: rule.mitre_technique,
      mitre_techniques: rule.mitre_techniques,
      origin: rule.origin as unknown as Record<string, unknown>,
      tags: importedTags(existing, rule.tags),
    };
    const same = (Object.keys(patch) as (keyof typeof patch)[]).every((k) => canonical(patch[k]) === canonical(existing[k]));
    if (same) return item(result, 'unchanged', { rule_id: existing.id });
    if (opts.dryRun) return item(result, 'updated', { rule_id: existing.id });
    const row = (await rules.update(existing.id, patch, tx))!;
    await audit.record({ ...by, rule_id: row.id, rule_name: row.name, action: 'updated', changes: withImportFields(ruleChanges(plain(existing), plain(row)), existing, row) }, tx);
    return item(result, 'updated', { rule_id: row.id });
  }

  return {
    /**
     * Translates, checks and stores one import. With failWhenNothingImported (the API), an
     * import whose every document is refused is a 422 carrying the located reasons.
     */
    async importRules(body: unknown, actor: Actor | null, opts: { failWhenNothingImported?: boolean } = {}): Promise<RuleImportResult> {
      const failWhenNothingImported = opts.failWhenNothingImported ?? true;
      const shape = checkJsonShape(body ?? {}, BODY_SHAPE);
      if (shape.length > 0) throw validationError(shape);
      const parsed = RuleImportRequestSchema.safeParse(body ?? {});
      if (!parsed.success) throw validationError(zodDetails(parsed.error, body));
      const request = parsed.data;
      const files = request.files ?? [{ name: request.name ?? 'request', content: request.content ?? '' }];
      let translated: DocumentResult[];
      try {
        translated = translateSigma(files);
      } catch (err) {
        if (!(err instanceof SigmaBoundsError)) throw err;
        if (err.kind === 'too_large') throw new AppError('PAYLOAD_TOO_LARGE', `${err.message}: split the import`);
        throw validationError([{ field: 'files', message: err.message, type: 'too_long' }], `${err.message}: split the import`);
      }
      const items: (RuleImportItem | Candidate)[] = translated.map((r) => {
        if (r.outcome === 'refused') return item(r, 'refused');
        if (r.outcome === 'included') return item(r, 'included');
        return { result: r, rule: r.rule };
      });
      const seen = new Map<string, Candidate>();
      const isCandidate = (x: RuleImportItem | Candidate): x is Candidate => 'rule' in x;
      for (let i = 0; i < items.length; i++) {
        const x = items[i]!;
        if (!isCandidate(x) || !x.rule.origin.id) continue;
        const first = seen.get(x.rule.origin.id);
        if (first) {
          items[i] = item(x.result, 'refused', { reason: `the Sigma id is also used by ${first.result.file} document ${first.result.document} in this import`, location: { field: 'id' } });
        } else seen.set(x.rule.origin.id, x);
      }
      const dryRun = request.dry_run;
      const ctx: CompileContext = { lists: deps.lists ? listResolver(await deps.lists()) : NO_LISTS };
      const run = async (tx: Queryable) => {
        const assigned = new Set<string>();
        const out: RuleImportItem[] = [];
        for (const x of items) out.push(isCandidate(x) ? await apply(x, tx, { enabled: request.enabled, dryRun, actor, assigned, ctx }) : x);
        return out;
      };
      const results = items.some(isCandidate) ? (dryRun ? await run(db) : await db.transaction(run).catch(concurrentImport)) : (items as RuleImportItem[]);
      const count = (s: RuleImportItem['status']) => results.filter((r) => r.status === s).length;
      const summary: RuleImportResult = {
        dry_run: dryRun,
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        refused: count('refused'),
        results,
      };
      if (!dryRun && summary.created + summary.updated > 0) await deps.announce();
      if (failWhenNothingImported && results.length > 0 && summary.refused === results.length) {
        throw validationError(
          results.map((r) => ({ field: `${r.file}#${r.document}${r.location?.field ? `.${r.location.field}` : ''}`, message: r.reason ?? 'refused', type: 'value_error' })),
          results.length === 1 ? `The Sigma rule was refused: ${results[0]!.reason}` : `None of the ${results.length} Sigma rules could be imported`,
        );
      }
      if (failWhenNothingImported && results.length === 0) throw validationError([{ field: 'files', message: 'no YAML document found', type: 'missing' }], 'No Sigma rule found in the import');
      return summary;
    },
  };
}
export type RuleImportService = ReturnType<typeof createRuleImportService>;

/** Two imports racing for one Sigma id or name: the loser's transaction is rolled back whole. */
function concurrentImport(err: unknown): never {
  if (sqlState(err) === '23505') {
    throw new AppError('CONFLICT_DUPLICATE', 'Another change created a rule with one of these Sigma ids or names meanwhile: nothing was imported, import again');
  }
  throw err;
}

/**
 * The tags of a re-imported rule: those the previous import brought are replaced by the new
 * file's, those an analyst added stay (so the same file again changes nothing).
 */
function importedTags(existing: RuleRecord, fresh: string[]): string[] {
  const origin = existing.origin as { tags?: unknown } | null;
  const before = ruleTagsFrom(Array.isArray(origin?.tags) ? origin.tags : []);
  if (canonical(before) === canonical(fresh)) return existing.tags;
  return ruleTagsFrom([...fresh, ...existing.tags.filter((t) => !before.includes(t))]);
}

/** The audit entry also shows origin and mitre_techniques changes (ruleChanges knows the v1 fields only). */
function withImportFields(changes: RuleChanges, before: RuleRecord | null, after: RuleRecord): RuleChanges {
  for (const field of ['origin', 'mitre_techniques'] as const) {
    const from = before ? before[field] : null;
    if (before && canonical(from) === canonical(after[field])) continue;
    changes[field] = { from, to: after[field] };
  }
  return changes;
}
