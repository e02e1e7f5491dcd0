// Browser test of the Cluster page against the real server: hidden from non-admins; an
// admin reaches it from the navigation and sees this process (marked), a live and a dead
// peer, and the 16 partitions with owner and lag, refreshed without a reload. The peers and
// checkpoints are written into the store as other processes would write them.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

export async function clusterForAdmins(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'cleo');
  const page = await ctx.newPage({ label: 'cleo', height: 1100 });
  await signInAs(ctx, page, token);
  await page.goto('/dashboard');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  if (await nav.getByRole('link', { name: 'Cluster' }).count()) throw new Error('an analyst sees the Cluster link');
  await page.goto('/cluster');
  await expectText(page.getByTestId('forbidden'), 'admin role');

  await ctx.server.users.createOrPromoteAdmin({ username: 'cleo', email: 'cleo@example.com' });
  const me = (await ctx.api<{ this_process: string }>('GET', '/cluster', undefined, token)).body.this_process;
  // Two more processes as they would write themselves: a live peer that beats every second
  // and one that stopped beating long ago. This process (its own row is real) sees the live
  // peer, gives it its share of the partitions, and those stay unclaimed: the peer is fake.
  const db = ctx.server.db;
  await db.query(
    `INSERT INTO correlation_members (consumer, host, pid, started_at, heartbeat_at, partitions, state) VALUES
     ('peer-b-4202-bbbbbb', 'node-b', 4202, now() - interval '1 hour', now(), '{}', 'standby'),
     ('peer-c-4303-cccccc', 'node-c', 4303, now() - interval '1 day', now() - interval '40 minutes', '{15}', 'running')
     ON CONFLICT (consumer) DO NOTHING`,
  );
  const beat = () => db.query(`UPDATE correlation_members SET heartbeat_at = now() WHERE consumer = 'peer-b-4202-bbbbbb'`);
  await beat();
  const beating = setInterval(() => void beat().catch(() => undefined), 1000);
  try {
    await page.goto('/dashboard');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await nav.getByRole('link', { name: 'Cluster' }).click();
    await page.getByRole('heading', { name: 'Cluster' }).waitFor();

    const mine = page.getByTestId(`member-${me}`);
    await expectText(mine, 'this process');
    await expectText(mine, 'Alive');
    await expectText(page.getByTestId('member-peer-b-4202-bbbbbb'), 'Alive');
    await expectText(page.getByTestId('member-peer-c-4303-cccccc'), 'Dead');
    const tiles = page.getByTestId('cluster-partitions').getByRole('listitem');
    await waitFor(async () => (await tiles.count()) === 16, '16 partition tiles');
    for (let p = 0; p < 16; p++) await expectText(page.getByTestId(`lag-${p}`), 'event');
    // The live peer's share is given up: half the partitions end up unclaimed.
    let unclaimed = -1;
    await waitFor(async () => {
      const texts = await Promise.all(Array.from({ length: 16 }, (_, p) => page.getByTestId(`partition-${p}`).innerText()));
      unclaimed = texts.findIndex((t) => t.includes('Unclaimed'));
      return texts.filter((t) => t.includes('Unclaimed')).length === 8;
    }, 'eight unclaimed partitions', 15_000);

    // The page polls: an event stored now moves the lag of a partition nobody correlates.
    const lag = page.getByTestId(`lag-${unclaimed}`);
    const before = await lag.innerText();
    const res = await ctx.api('POST', '/logs/ingest', { source_type: 'generic', event_type: 'cluster_probe', message: 'cluster page refresh' });
    if (res.status !== 201) throw new Error(`ingest answered ${res.status}`);
    await waitFor(async () => (await lag.innerText()) !== before, `the lag of partition ${unclaimed} to move`, 12_000);
    await ctx.shot(page, '33-cluster');
    const narrow = await ctx.newPage({ label: 'cleo-narrow', width: 768 });
    await signInAs(ctx, narrow, token);
    await narrow.goto('/cluster');
    await narrow.getByTestId('partition-15').waitFor();
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 4) throw new Error(`/cluster overflows horizontally by ${overflow}px at 768px`);
    await ctx.shot(narrow, '34-cluster-768');
  } finally {
    clearInterval(beating);
    await db.query(`DELETE FROM correlation_members WHERE consumer IN ('peer-b-4202-bbbbbb', 'peer-c-4303-cccccc')`);
  }
}
