// Sigma coverage: translates every *.yml / *.yaml under a directory (one file at a time,
// as `npm run rules -- import` would) and, with --check, runs each translated rule through
// the same check the rules service applies on create. Prints the total, the share imported,
// the refusals by reason (top 15) and the figures per logsource product. Asserts nothing.
//   node --import tsx bench/sigma-coverage.ts <dir> [--check] [--examples]
import fs from 'node:fs';
import path from 'node:path';
import { translateSigma, type DocumentResult } from '../server/src/engine/sigma/index.ts';
import { checkConditions, describeProblem } from '../server/src/engine/rules/load.ts';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const check = args.includes('--check');
const examples = args.includes('--examples');
if (!dir) {
  process.stderr.write('usage: node --import tsx bench/sigma-coverage.ts <dir> [--check] [--examples]\n');
  process.exit(2);
}

function* walk(d: string): Generator<string> {
  for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else if (/\.ya?ml$/i.test(entry.name)) yield p;
  }
}

/** Reasons with their variable parts (names, values) masked, so alike refusals count together. */
const reasonKey = (r: DocumentResult & { outcome: 'refused' }) =>
  `${r.modifier ? `[${r.modifier}] ` : ''}${r.reason.replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N')}`;

const perProduct = new Map<string, { total: number; imported: number }>();
const reasons = new Map<string, { count: number; example: string }>();
let total = 0;
let imported = 0;
let warned = 0;
const started = performance.now();
for (const file of walk(dir)) {
  const content = fs.readFileSync(file, 'utf8');
  const rel = path.relative(dir, file);
  for (const r of translateSigma([{ name: rel, content }])) {
    total++;
    let ok = r.outcome !== 'refused';
    let result: DocumentResult = r;
    if (r.outcome === 'translated' && check) {
      const checked = checkConditions(r.rule.rule_type as never, r.rule.conditions);
      if (!checked.ok) {
        ok = false;
        result = { ...r, outcome: 'refused', reason: `rule check: ${describeProblem(checked.error)}`, warnings: r.warnings };
      }
    }
    const product = r.outcome === 'translated' ? r.rule.origin.logsource.product ?? '(none)' : '(unknown)';
    const p = perProduct.get(product) ?? { total: 0, imported: 0 };
    p.total++;
    if (ok) {
      imported++;
      p.imported++;
      if (r.warnings.length > 0) warned++;
    } else if (result.outcome === 'refused') {
      const key = reasonKey(result);
      const entry = reasons.get(key) ?? { count: 0, example: `${rel}: ${result.reason}` };
      entry.count++;
      reasons.set(key, entry);
    }
    if (r.outcome === 'refused' && product === '(unknown)') {
      // Refused before the logsource was read back: count it under its declared product.
      const declared = /\n\s*product:\s*(\S+)/.exec(content)?.[1] ?? '(none)';
      p.total--;
      perProduct.set(product, p);
      const d = perProduct.get(declared) ?? { total: 0, imported: 0 };
      d.total++;
      perProduct.set(declared, d);
      continue;
    }
    perProduct.set(product, p);
  }
}
const pct = (a: number, b: number) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)} %`);
console.log(`Sigma coverage of ${dir}${check ? ' (with the rule check)' : ''}`);
console.log(`  documents: ${total}, imported: ${imported} (${pct(imported, total)}), refused: ${total - imported}, imported with warnings: ${warned}`);
console.log(`  time: ${(performance.now() - started).toFixed(0)} ms`);
console.log('Refused, by reason (top 15):');
for (const [key, { count, example }] of [...reasons].sort((a, b) => b[1].count - a[1].count).slice(0, 15)) {
  console.log(`  ${String(count).padStart(5)}  ${key}`);
  if (examples) console.log(`         e.g. ${example.slice(0, 300)}`);
}
console.log('Per product:');
for (const [product, { total: t, imported: i }] of [...perProduct].filter(([, v]) => v.total > 0).sort((a, b) => b[1].total - a[1].total)) {
  console.log(`  ${product.padEnd(20)} ${String(t).padStart(5)} documents, ${pct(i, t)} imported`);
}
