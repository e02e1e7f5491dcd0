// Browser test of the Sigma import page: two pasted documents tried with a dry run (one
// would be created, one is refused with its location), then imported; the created rule is
// linked, and its ATT&CK technique shows on the coverage matrix.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

const SIGMA = `title: Browser test mimikatz
id: 5b0d61db-0000-4000-8000-00000000a001
status: test
tags: [attack.credential-access, attack.t1003.001]
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '\\mimikatz.exe'
  condition: selection
level: high
---
title: Browser test refused
id: 5b0d61db-0000-4000-8000-00000000a002
logsource: { product: windows, category: process_creation }
detection:
  sel:
    CommandLine|expand: '%x%'
  condition: sel
`;

export async function importSigmaRules(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'ivan');
  await ctx.server.users.createOrPromoteAdmin({ username: 'ivan', email: 'ivan@example.com' }, 'engineer');
  const page = await ctx.newPage({ label: 'import' });
  await signInAs(ctx, page, token);
  await page.goto('/rules');
  await page.getByRole('link', { name: 'Import Sigma' }).click();
  await page.getByRole('heading', { name: 'Import Sigma rules' }).waitFor();
  await page.getByLabel('Sigma YAML').fill(SIGMA);
  await page.getByRole('button', { name: 'Dry run' }).click();
  const results = page.getByTestId('import-results');
  await expectText(results, 'Dry run: nothing was stored');
  await expectText(results, 'CommandLine|expand');
  if ((await results.locator('tr[data-status="created"]').count()) !== 1) throw new Error('the dry run does not say one rule would be created');
  const before = await ctx.api<{ name: string }[]>('GET', '/rules', undefined, token);
  if (before.body.some((r) => r.name.includes('Browser test mimikatz'))) throw new Error('the dry run stored a rule');
  await ctx.shot(page, '38-import-dry-run');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expectText(results, 'Imported');
  const link = results.locator('tr[data-status="created"] a').first();
  await link.waitFor();
  await ctx.shot(page, '39-import-done');
  await link.click();
  await page.waitForURL(/\/rules\/[0-9a-f]{24}$/);
  await page.getByRole('heading', { name: 'Browser test mimikatz' }).waitFor();
  await page.goto('/coverage');
  const cell = page.locator('[data-testid="technique-cell"][data-technique="T1003"]').first();
  await waitFor(async () => ((await cell.getAttribute('title')) ?? '').includes('Browser test mimikatz'), 'the imported rule on the T1003 cell');
}
