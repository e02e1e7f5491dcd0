// Stores events straight into log_events (no pipeline), with exactly the columns and times
// a test gives: for read-side tests (export, histogram, field statistics) that need known
// rows, parsed fields and timestamps in the past.
import { newObjectId } from '../../src/lib/object-id.ts';
import type { Queryable } from '../../src/store/db.ts';

export interface RowSpec {
  ts: string | number;
  source_type?: string;
  severity?: string;
  event_type?: string | null;
  source_ip?: string | null;
  dest_ip?: string | null;
  hostname?: string | null;
  username?: string | null;
  message?: string | null;
  fields?: Record<string, unknown> | null;
}

/** Inserts the rows in one statement; returns their ids in the given order. */
export async function insertRows(db: Queryable, specs: RowSpec[]): Promise<string[]> {
  const rows = specs.map((s) => ({
    id: newObjectId(),
    ts: new Date(s.ts).toISOString(),
    source_type: s.source_type ?? 'generic',
    severity: s.severity ?? 'info',
    event_type: s.event_type ?? null,
    source_ip: s.source_ip ?? null,
    dest_ip: s.dest_ip ?? null,
    hostname: s.hostname ?? null,
    username: s.username ?? null,
    message: s.message ?? null,
    fields: s.fields ?? null,
  }));
  await db.query(
    `INSERT INTO log_events (id, ts, source_type, severity, event_type, source_ip, dest_ip, hostname, username, message, raw, normalized, fields)
     SELECT id, ts, source_type, severity, event_type, source_ip, dest_ip, hostname, username, message, '{}'::jsonb, '{}'::jsonb, fields
     FROM jsonb_to_recordset($1::jsonb) AS x(id text, ts timestamptz, source_type text, severity text, event_type text, source_ip text,
       dest_ip text, hostname text, username text, message text, fields jsonb)`,
    [JSON.stringify(rows)],
  );
  return rows.map((r) => r.id);
}

/** Inserts `n` generated rows, one a second back from `newestMs`, in one statement. */
export async function insertSeries(db: Queryable, n: number, newestMs: number, opts: { messageBytes?: number } = {}): Promise<void> {
  await db.query(
    `INSERT INTO log_events (id, ts, source_type, severity, event_type, source_ip, hostname, username, message, raw, normalized, fields)
     SELECT lpad(to_hex(i), 24, '0'), $1::timestamptz - i * interval '1 second', 'auth', (ARRAY['info','low','medium','high','critical'])[1 + i % 5],
       'login', '10.0.' || (i % 250) || '.' || (i % 7), 'host-' || (i % 20), 'user' || (i % 100), 'line ' || i || ' ' || repeat('x', $3::int), '{}', '{}',
       jsonb_build_object('source.port', 1000 + i % 50, 'process.name', 'sshd')
     FROM generate_series(1, $2::int) AS i`,
    [new Date(newestMs).toISOString(), n, opts.messageBytes ?? 40],
  );
}
