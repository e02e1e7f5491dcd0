// Browser test of the Cluster page against the real server: hidden from non-admins; an
// admin reaches it from the navigation and sees this process (marked), a live and a dead
// peer, and the 16 partitions with owner and lag, refreshed without a reload. The peers and
// checkpoints are written into the store as other processes would write them.
import type { Ctx } from './harness.ts';
import { registerViaApi, signInAs } from './harness.ts';
import { expectText, waitFor } from './wait.ts';

export async function clusterForAdmins(ctx: Ctx): Promise<void> {
  const token = await registerViaApi(ctx, 'erin');
  const page = await ctx.newPage({ label: 'erin', height: 1100 });
  await signInAs(ctx, page, token);
  await page.goto('/dashboard');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  if (await nav.getByRole('link', { name: 'Cluster' }).count()) throw new Error('an analyst sees the Cluster link');
  await page.goto('/cluster');
  await expectText(page.getByTestId('forbidden'), 'admin role');

  await ctx.server.users.createOrPromoteAdmin({ username: 'erin', email: 'erin@example.com' });
  const me = (await ctx.api<{ this_process: string }>('GET', '/cluster', undefined, token)).body.this_process;
  // What correlating processes write: this one and a live peer beat every second, a third
  // stopped beating long ago. (Rows a running process already wrote are left as they are.)
  const db = ctx.server.db;
  await db.query(
    `INSERT INTO correlation_members (consumer, host, pid, started_at, heartbeat_at, partitions, state) VALUES
     ($1, 'node-a', 4101, now() - interval '2 hours', now(), '{0,1,2,3,4,5,6,7}', 'running'),
     ('peer-b-4202-bbbbbb', 'node-b', 4202, now() - interval '1 hour', now(), '{8,9,10,11,12,13,14}', 'replaying'),
     ('peer-c-4303-cccccc', 'node-c', 4303, now() - interval '1 day', now() - interval '40 minutes', '{15}', 'running')
     ON CONFLICT (consumer) DO NOTHING`,
    [me],
  );
  await db.query(
    `INSERT INTO correlation_checkpoints (name, tx_id, seq, owner, epoch, high_water)
     SELECT 'correlation/' || p, CASE WHEN p < 8 THEN COALESCE(newest.tx_id, '0'::xid8) ELSE '0'::xid8 END,
            CASE WHEN p < 8 THEN COALESCE(newest.seq, 0) ELSE 0 END,
            CASE WHEN p < 8 THEN $1 WHEN p < 15 THEN 'peer-b-4202-bbbbbb' ELSE 'peer-c-4303-cccccc' END, 1 + p % 3, now()
     FROM generate_series(0, 15) AS p
     LEFT JOIN (SELECT tx_id, seq FROM log_events ORDER BY tx_id DESC, seq DESC LIMIT 1) newest ON true
     ON CONFLICT (name) DO NOTHING`,
    [me],
  );
  const beat = () => db.query(`UPDATE correlation_members SET heartbeat_at = now() WHERE consumer IN ($1, 'peer-b-4202-bbbbbb')`, [me]);
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
    await expectText(page.getByTestId('partition-15'), 'node-c · 4303');

    // The page polls: an event stored now moves the lag of the partitions behind it.
    const before = await page.getByTestId('lag-9').innerText();
    const res = await ctx.api('POST', '/logs/ingest', { source_type: 'generic', event_type: 'cluster_probe', message: 'cluster page refresh' });
    if (res.status !== 201) throw new Error(`ingest answered ${res.status}`);
    await waitFor(async () => (await page.getByTestId('lag-9').innerText()) !== before, 'the lag of partition 9 to move', 12_000);
    await ctx.shot(page, '33-cluster');
    const narrow = await ctx.newPage({ label: 'erin-narrow', width: 768 });
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
