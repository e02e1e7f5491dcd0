import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import { newObjectId } from '../server/src/lib/object-id.ts';
import { COPY_EVENTS_SQL, eventsCopyData } from '../server/src/store/event-copy.ts';
import type { NewEvent } from '../server/src/store/events-repo.ts';
const db = new PGlite();
await db.waitReady;
const dir = 'server/src/store/migrations';
for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.sql')) await db.exec(fs.readFileSync(`${dir}/${f}`, 'utf8'));
const ev = (i: number): NewEvent => ({ id: newObjectId(), timeMs: Date.now(), fields: { 'a.b': i }, source_type: 'auth', severity: 'info', event_type: 'login_failure', source_ip: '1.2.3.4', dest_ip: null, source_port: 22, dest_port: null, hostname: 'h', username: 'u', mitre_tactic: null, mitre_technique: null, message: 'm\tx', raw: { message: 'hello world', n: i, x: 'y'.repeat(100) }, normalized: { message: 'm' }, metadata: { input: 'x' }, scenario_run_id: null, createdAtMs: Date.now() });
const N = 30000, B = 500;
const evs = Array.from({ length: N }, (_, i) => ev(i));
const sql = `INSERT INTO log_events (id, ts, source_type, severity, event_type, source_ip, dest_ip, source_port,
           dest_port, hostname, username, mitre_tactic, mitre_technique, message, raw, normalized, metadata,
           fields, scenario_run_id, created_at, updated_at)
         SELECT id, ts, source_type, severity, event_type, source_ip, dest_ip, source_port, dest_port,
           hostname, username, mitre_tactic, mitre_technique, message, raw, normalized, metadata,
           fields, scenario_run_id, created_at, created_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, ts timestamptz, source_type text, severity text,
           event_type text, source_ip text, dest_ip text, source_port int, dest_port int, hostname text,
           username text, mitre_tactic text, mitre_technique text, message text, raw jsonb, normalized jsonb,
           metadata jsonb, fields jsonb, scenario_run_id text, created_at timestamptz)`;
for (let round = 0; round < 2; round++) {
  let t = performance.now();
  for (let i = 0; i < N; i += B) {
    const rows = evs.slice(i, i + B).map(({ timeMs, createdAtMs, ...c }) => ({ ...c, ts: new Date(timeMs).toISOString(), created_at: new Date(createdAtMs).toISOString() }));
    await db.transaction(async (tx) => { await tx.query(sql, [JSON.stringify(rows)]); });
  }
  console.log('insert', Math.round(N / ((performance.now() - t) / 1000)));
  await db.exec('TRUNCATE log_events');
  t = performance.now();
  for (let i = 0; i < N; i += B) {
    const blob = new Blob(eventsCopyData(evs.slice(i, i + B)) as unknown as BlobPart[]);
    await db.transaction(async (tx) => { await tx.query(COPY_EVENTS_SQL.replace('FROM STDIN', "FROM '/dev/blob'"), [], { blob }); });
  }
  console.log('copy blob', Math.round(N / ((performance.now() - t) / 1000)));
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int n FROM log_events');
  console.log(rows);
  await db.exec('TRUNCATE log_events');
}
