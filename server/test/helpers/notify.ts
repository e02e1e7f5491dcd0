// Shared by the notification tests: a PGlite store, an HTTP receiver on 127.0.0.1 that
// records what it gets and answers scripted statuses per path, and builders of channels,
// alerts and a worker + dispatcher pair with short retry delays.
import { after, before } from 'node:test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createChannelService } from '../../src/services/notify/channels.ts';
import { createNotifyDispatcher } from '../../src/services/notify/dispatcher.ts';
import { createNotifyWorker } from '../../src/services/notify/worker.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import type { AlertRecord } from '../../src/store/alerts-repo.ts';
import type { Db } from '../../src/store/db.ts';
import { createNotificationsRepo } from '../../src/store/notifications-repo.ts';
import type { ChannelRecord } from '../../src/store/notifications-repo.ts';
import { createRulesRepo } from '../../src/store/rules-repo.ts';
import { openTestDb } from './store.ts';

export const log = pino({ level: 'silent' });
export const BASE = 'https://siem.example.org';

export interface Received { path: string; headers: http.IncomingHttpHeaders; body: string }
export let db: Db;
let drop: () => Promise<void>;
let server: http.Server;
export let receiverUrl: string;
export const received: Received[] = [];
/** Status codes answered in order per path; 200 once the list is used up. */
export const script = new Map<string, number[]>();

/** Opens the store and the HTTP receiver before the file's tests, closes them after. */
export function useNotifyFixture(): void {
  before(async () => {
    ({ db, drop } = await openTestDb('pglite'));
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        const status = req.url?.startsWith('/echo') ? 500 : script.get(req.url ?? '')?.shift() ?? 200;
        // /echo answers with what it was sent: a careless receiver quoting the secret URL and headers.
        const text = req.url?.startsWith('/echo') ? `bad request to ${req.url} auth=${req.headers.authorization}` : status === 200 ? 'ok' : 'try later';
        res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await drop();
  });
}

export const repo = () => createNotificationsRepo(db);

export async function addChannel(kind: ChannelRecord['kind'], config: Record<string, unknown>, extra: Partial<ChannelRecord> = {}): Promise<ChannelRecord> {
  return repo().insertChannel({
    id: newObjectId(), name: `${kind}-${newObjectId().slice(-6)}`, kind, enabled: true, config,
    routing: { min_severity: 'info', rule_ids: [], tactics: [], tags: [] }, template: '{{alert.severity}}: {{alert.title}} {{alert.url}}', created_by: 'test', ...extra,
  });
}

let alertSerial = 0;
export async function addAlert(severity: AlertRecord['severity'] = 'high', ruleId = '665f1c2e9b1e8a3d4c7f0a01'): Promise<AlertRecord> {
  const alerts = createAlertsRepo(db);
  const id = newObjectId();
  const rec = await db.transaction((tx) => alerts.insertFiring(tx, {
    id, firing_key: `notify-${id}-${++alertSerial}`, rule_id: ruleId, rule_name: 'SSH brute force', severity,
    title: `Brute force #${alertSerial}`, matched_event_ids: [], matched_event_count: 5, group_value: '203.0.113.7',
    mitre_tactic: 'credential-access', mitre_technique: 'T1110', firedAtMs: Date.now(),
  }));
  return rec!;
}

export function setup(policy = { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 80 }) {
  const channels = createChannelService({ repo: repo(), baseUrl: BASE, timeoutMs: 2000 });
  const worker = createNotifyWorker({ repo: repo(), deliver: channels.deliver, policy, timeoutMs: 2000, log, pollMs: 10 });
  const bus = createMemoryBus({ maxLen: 1000 });
  const dispatcher = createNotifyDispatcher({
    db, bus, repo: repo(), log, baseUrl: BASE, consumer: 'test', queueMax: 100,
    findAlerts: (ids) => createAlertsRepo(db).findByIds(ids), onQueued: () => worker.kick(),
    ruleTags: (ids) => createRulesRepo(db).tagsOf(ids),
  });
  return { channels, worker, bus, dispatcher };
}

export const deliveriesOf = (channelId: string) => repo().listDeliveries({ channelId, limit: 50 });
