// `npm run rules -- import <dir|file> [--disabled] [--dry-run] [--strict]`: imports Sigma rules
// (*.yml / *.yaml, recursively) through the same service as POST /v1/rules/import, into the
// store the server uses (.env, migrations). Prints one line per document and a summary.
// Exit status: 0 when the import ran (refused rules are listed with their reason), 1 when
// it could not run (store, files) or, with --strict, when a rule was refused; 2 bad usage.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RULE_IMPORT_LIMITS, type RuleImportItem } from '@siem/contracts';
import { isAppError } from '../errors.ts';
import { cliOutput, openStoreForCli, runAsScript } from './common.ts';
import { createRuleImportService } from '../services/rule-import.ts';
import { createRuleAuditRepo } from '../store/rule-audit-repo.ts';
import { createRulesRepo } from '../store/rules-repo.ts';

export interface RulesCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: npm run rules -- import <directory|file> [--disabled] [--dry-run] [--strict]

Imports Sigma rules (*.yml, *.yaml; directories are read recursively) into the store the
server uses. A rule already imported (same Sigma id) is updated in place: its exceptions,
enabled flag and name are kept. --disabled: new rules start disabled. --dry-run: report
only, store nothing. --strict: exit 1 when any rule is refused.
`;

/** At most this many files are read; a bigger tree is imported in several runs. */
export const MAX_FILES = 20_000;

class UsageError extends Error {}

function listFiles(target: string): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`${target}: no such file or directory`);
  if (stat.isFile()) return [target];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        out.push(p);
        if (out.length > MAX_FILES) throw new UsageError(`more than ${MAX_FILES} Sigma files under ${target}: import its subdirectories one at a time`);
      }
    }
  };
  walk(target);
  return out;
}

/**
 * Batches within the import bounds (bytes, files, documents estimated by "---" lines).
 * A correlation and the rules it names must land in one batch: files are kept whole and
 * in order, so rules in one file or in neighbouring files stay together.
 */
function batches(files: { name: string; content: string }[]): { name: string; content: string }[][] {
  const out: { name: string; content: string }[][] = [];
  let current: { name: string; content: string }[] = [];
  let bytes = 0;
  let docs = 0;
  for (const f of files) {
    const size = Buffer.byteLength(f.content, 'utf8');
    const n = 1 + (f.content.match(/^---\s*$/gm)?.length ?? 0);
    if (current.length > 0 && (bytes + size > RULE_IMPORT_LIMITS.maxBytes || docs + n > RULE_IMPORT_LIMITS.maxDocuments || current.length >= RULE_IMPORT_LIMITS.maxFiles)) {
      out.push(current);
      current = [];
      bytes = 0;
      docs = 0;
    }
    current.push(f);
    bytes += size;
    docs += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function line(r: RuleImportItem): string {
  const where = `${r.file}${r.document > 1 ? `#${r.document}` : ''}`;
  const what = r.title ? ` "${r.title}"` : '';
  if (r.status === 'refused') {
    const at = r.location ? ` [${[r.location.field, r.location.modifier].filter(Boolean).join('|')}]` : '';
    return `refused   ${where}${what}${at}: ${r.reason}`;
  }
  const id = r.rule_id ? ` -> ${r.rule_id}` : '';
  return `${r.status.padEnd(9)} ${where}${what}${id}${r.status === 'included' ? ` (${r.reason})` : ''}`;
}

export async function runRulesCli(argv: string[], io: RulesCliIo): Promise<number> {
  const { say, fail } = cliOutput(io);
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { disabled: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, strict: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals[0] !== 'import' || positionals.length !== 2) return fail(USAGE, 2);
  const target = positionals[1]!;
  let files: { name: string; content: string }[];
  try {
    const paths = listFiles(target);
    if (paths.length === 0) return fail(`No *.yml or *.yaml file under ${target}`, 1);
    const base = fs.statSync(target).isDirectory() ? target : path.dirname(target);
    files = paths.map((p) => ({ name: path.relative(base, p) || path.basename(p), content: fs.readFileSync(p, 'utf8') }));
  } catch (err) {
    if (err instanceof UsageError) return fail(`Error: ${err.message}`, 2);
    return fail(`Error: ${(err as Error).message}`, 1);
  }
  const opened = await openStoreForCli(io.env);
  if (!opened.ok) return fail(opened.message, opened.status);
  const db = opened.db;
  const totals = { created: 0, updated: 0, unchanged: 0, included: 0, refused: 0 };
  const dryRun = values['dry-run'] === true;
  try {
    // No bus here: a server on PostgreSQL picks the change up at its next periodic rule reload.
    const service = createRuleImportService({ db, rules: createRulesRepo(db), audit: createRuleAuditRepo(db), announce: async () => {} });
    for (const batch of batches(files)) {
      const result = await service.importRules({ files: batch, enabled: values.disabled !== true, dry_run: dryRun }, null, { failWhenNothingImported: false });
      for (const r of result.results) {
        totals[r.status]++;
        say(line(r));
        for (const w of r.warnings) say(`          warning: ${w}`);
      }
    }
  } catch (err) {
    if (isAppError(err)) return fail(`Error: ${err.message}${err.details ? `\n${err.details.map((d) => `  ${d.field}: ${d.message}`).join('\n')}` : ''}`, 1);
    throw err;
  } finally {
    await db.close();
  }
  const total = Object.values(totals).reduce((a, b) => a + b, 0);
  say(`${dryRun ? 'Dry run (nothing stored): ' : ''}${total} Sigma documents in ${files.length} files: ${totals.created} created, ${totals.updated} updated, ` +
    `${totals.unchanged} unchanged, ${totals.included} included in correlations, ${totals.refused} refused.`);
  return values.strict && totals.refused > 0 ? 1 : 0;
}

runAsScript(import.meta.url, () => runRulesCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }));
