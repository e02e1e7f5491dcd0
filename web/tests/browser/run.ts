// Runs the browser tests in order against one real server and one Chromium, each test
// in fresh browser contexts and bounded in time. Prints one line per test and the
// closing "N passed, N failed"; exits non-zero on any failure.
import fs from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import type { Ctx } from './harness.ts';
import { CHROMIUM, createCtx, ensureBuild, launchBrowser, startServer } from './harness.ts';
import { analystCannotSeeUsers, firstRunSetupLink, registerAndLogIn, settingsWrongPassword } from './specs-auth.ts';
import { liveTailPauses, virtualizedTable } from './specs-logs.ts';
import { addressEnrichmentShows } from './specs-geo.ts';
import { sourcesForEngineers } from './specs-sources.ts';
import { listsForEngineers } from './specs-lists.ts';
import { intelForEngineers } from './specs-intel.ts';
import { clusterForAdmins } from './specs-cluster.ts';
import { notificationsForAdmins } from './specs-notifications.ts';
import { acknowledgeThenResolve, narrowLayouts, pivotFromEvent, ruleValidationThenFix, scenarioAlertArrivesLive, scenarioControls } from './specs-soc.ts';
import { importSigmaRules } from './specs-import.ts';
import { builderNestedGroup, coverageShadesShippedTechnique, rulePagesAt768 } from './specs-rules.ts';
import { triageAtAGlance } from './specs-triage.ts';
import { caseFromAlert } from './specs-cases.ts';
import { queryLanguageSearch } from './specs-query.ts';
import { suppressionCountsRepeats } from './specs-suppression.ts';
import { searchTools } from './specs-search-tools.ts';
import { withTimeout } from './wait.ts';

const TESTS: [string, (ctx: Ctx) => Promise<void>][] = [
  ['first run: the setup link creates the first administrator once', firstRunSetupLink],
  ['register and log in', registerAndLogIn],
  ['a scenario alert arrives live on the dashboard and the alert list', scenarioAlertArrivesLive],
  ['acknowledge then resolve an alert', acknowledgeThenResolve],
  ['create a rule with a validation error, then fix it', ruleValidationThenFix],
  ['build a rule with a nested any-group, save, reload', builderNestedGroup],
  ['the coverage matrix shades a shipped rule\'s technique', coverageShadesShippedTechnique],
  ['import Sigma rules: dry run, then import', importSigmaRules],
  ['pivot from an event', pivotFromEvent],
  ['scenario run controls: pause, resume, speed, stop', scenarioControls],
  ['the live tail shows new events and can be paused', liveTailPauses],
  ['the log table stays virtualized with 30,000 stored events', virtualizedTable],
  ['addresses in the log view show a flag and country, or their scope', addressEnrichmentShows],
  ['settings: a wrong current password is shown at the field', settingsWrongPassword],
  ['an analyst cannot see the users page; an admin can', analystCannotSeeUsers],
  ['the Sources page: hidden from analysts, inputs and unparsed lines for engineers', sourcesForEngineers],
  ['the Lists page: an engineer creates a list, a bad line is named, then it is saved', listsForEngineers],
  ['the Threat intel page: an engineer uploads a feed, finds an indicator, sees a match on an event', intelForEngineers],
  ['the Cluster page: hidden from analysts, processes and 16 partitions for admins', clusterForAdmins],
  ['case management: a case from an alert, a comment with a mention, observables, the timeline, My cases', caseFromAlert],
  ['search tools: histogram, field values, export, saved searches', searchTools],
  ['the notifications page: hidden from analysts; an admin creates a signed webhook, previews, tests, sees deliveries', notificationsForAdmins],
  ['layouts at 768px', narrowLayouts],
  ['rule editor, import and coverage at 768px', rulePagesAt768],
  ['triage at a glance: guidance, addresses, related alerts, pivot to logs', triageAtAGlance],
  ['the query search bar: error at its position, fixed and applied, then a detection from it', queryLanguageSearch],
  ['suppression: the rule editor section, and repeats counted on one alert (×N)', suppressionCountsRepeats],
];
const TEST_TIMEOUT_MS = 90_000;

async function main(): Promise<number> {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    return 1;
  }
  const only = process.argv.slice(2);
  const dist = ensureBuild();
  const server = await startServer(dist);
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  try {
    for (const [name, fn] of TESTS) {
      if (only.length && !only.some((o) => name.includes(o))) continue;
      const contexts: BrowserContext[] = [];
      const ctx = createCtx(browser, server, contexts);
      const t0 = Date.now();
      let error: unknown = null;
      try {
        await withTimeout(fn(ctx), TEST_TIMEOUT_MS, name);
        // Late console errors (a refetch after the last step) still count.
        await new Promise((r) => setTimeout(r, 300));
        if (ctx.watch.problems.length) error = new Error(ctx.watch.problems.join('\n    '));
      } catch (e) {
        error = ctx.watch.problems.length ? new Error(`${(e as Error).message}\n    ${ctx.watch.problems.join('\n    ')}`) : e;
      }
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
      const ms = Date.now() - t0;
      if (error) {
        failed++;
        console.log(`✘ ${name} (${ms} ms)\n    ${(error as Error).message ?? String(error)}`);
      } else {
        passed++;
        console.log(`✔ ${name} (${ms} ms)`);
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  console.log(`\nbrowser: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('\nbrowser: 0 passed, 1 failed');
    process.exit(1);
  },
);
