// Real shippers against the shipper listener: rsyslog's omelasticsearch (bulk mode, a JSON
// template, a file read by imfile) and syslog-ng's http() destination posting _bulk NDJSON,
// both with an ingest key. Every line written is stored once, with its fields parsed, and
// lines refused with a 429 while the write queue is full arrive once the shipper retries.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { hasOmElasticsearch, rsyslogd, skipWithout, syslogNg } from '../helpers/peers.ts';
import { startShipperSystem, until } from './shipper-system.ts';
import type { ShipperSystem } from './shipper-system.ts';

const KEY = 'peer-key-abcdef0123456789';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** sshd lines in syslog's file format, each naming a distinct user so duplicates show. */
function sshdLines(tag: string, from: number, count: number): string {
  let text = '';
  for (let i = from; i < from + count; i++) {
    text += `Nov 30 08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} bastion sshd[${4000 + i}]: Failed password for invalid user ${tag}${i} from 203.0.113.${(i % 9) + 1} port ${40000 + i} ssh2\n`;
  }
  return text;
}

async function storedUsers(s: ShipperSystem, tag: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of await s.allEvents()) {
    // The line as it arrived is kept in `raw`.
    const match = new RegExp(`user (${tag}\\d+) `).exec(JSON.stringify(e.raw));
    if (match) found.push(match[1]!);
  }
  return found;
}

/** Each stored event of `tag` has its sshd fields parsed out of the shipped line. */
async function assertParsed(s: ShipperSystem, tag: string): Promise<void> {
  let checked = 0;
  for (const e of await s.allEvents()) {
    const match = new RegExp(`user (${tag}(\\d+)) `).exec(JSON.stringify(e.raw));
    if (!match) continue;
    const i = Number(match[2]);
    assert.equal(e.username, match[1]);
    assert.equal(e.source_ip, `203.0.113.${(i % 9) + 1}`);
    assert.equal(e.event_type, 'login_failure');
    assert.equal(e.source_type, 'auth');
    assert.equal((e.metadata as { input?: string }).input, 'elasticsearch');
    const fields = e.fields as Record<string, unknown>;
    assert.equal(fields['source.port'], 40000 + i);
    assert.equal(fields['process.pid'], 4000 + i);
    checked += 1;
  }
  assert.ok(checked > 0);
}

/** Holds most of the write queue's byte bound with a declared body that is never sent. */
async function holdQueue(s: ShipperSystem): Promise<net.Socket> {
  const socket = net.connect(s.port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(`POST /_bulk HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ${b64(`x:${KEY}`)}\r\nContent-Length: 60000\r\n\r\n`);
  await until(() => s.sys.deps.admission.inFlight().bodies >= 1, 'the held body to be admitted');
  return socket;
}

function startPeer(bin: string, args: string[], env: NodeJS.ProcessEnv, dir: string): ChildProcess {
  const child = spawn(bin, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(path.join(dir, 'peer.log'));
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

async function stopPeer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

describe('rsyslog omelasticsearch', { skip: skipWithout(rsyslogd !== null && hasOmElasticsearch ? rsyslogd : null, 'rsyslogd with omelasticsearch') }, () => {
  let s: ShipperSystem;
  let dir: string;
  let child: ChildProcess | undefined;
  before(async () => {
    s = await startShipperSystem({ INGEST_API_KEYS: KEY, INGEST_QUEUE_MAX_BYTES: '65536' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-rsyslog-es-'));
  });
  after(async () => {
    await stopPeer(child);
    await s?.stop();
    if (dir && !process.env.KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ships a file in bulk mode: every line stored exactly once with its fields; a batch refused with 429 is never stored', async () => {
    const file = path.join(dir, 'auth.log');
    fs.writeFileSync(file, sshdLines('rs', 0, 150));
    fs.mkdirSync(path.join(dir, 'work'));
    const conf = path.join(dir, 'rsyslog.conf');
    const errorFile = path.join(dir, 'es-errors.json');
    fs.writeFileSync(conf, `
global(workDirectory="${dir}/work")
module(load="imfile" pollingInterval="1")
module(load="omelasticsearch")
template(name="siem-json" type="list" option.jsonf="on") {
  property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="message" name="rawmsg" format="jsonf")
}
input(type="imfile" File="${file}" Tag="auth" ruleset="ship")
ruleset(name="ship") {
  action(type="omelasticsearch" server="127.0.0.1" serverport="${s.port}" searchIndex="rsyslog-auth"
         template="siem-json" bulkmode="on" maxbytes="65536" uid="rsyslog" pwd="${KEY}"
         action.resumeRetryCount="-1" action.resumeInterval="1" errorFile="${errorFile}")
}
`);
    child = startPeer(rsyslogd!.bin, ['-n', '-f', conf, '-i', path.join(dir, 'rsyslog.pid')], rsyslogd!.env, dir);
    await until(async () => (await storedUsers(s, 'rs')).length >= 150, 'rsyslog to ship the first 150 lines', 60_000);
    const first = await storedUsers(s, 'rs');
    assert.equal(new Set(first).size, 150, 'each line stored exactly once');
    assert.equal(fs.existsSync(errorFile), false, 'rsyslog saw no item error');

    // The queue is full: rsyslog's next bulk request is answered 429, before its body is
    // read. rsyslog before 8.2606 does not retry a whole-request 429: it writes the batch
    // to its errorFile. Either way nothing refused is stored, and nothing stored is lost.
    const held = await holdQueue(s);
    fs.appendFileSync(file, sshdLines('rs', 150, 50));
    await until(() => fs.existsSync(errorFile) || Promise.resolve(false), 'rsyslog to meet the 429', 30_000).catch(() => {});
    held.destroy();
    await until(() => s.sys.deps.admission.inFlight().bodies === 0, 'the held body to be released');
    fs.appendFileSync(file, sshdLines('rs', 200, 50));
    const refused = () => new Set(fs.existsSync(errorFile) ? [...fs.readFileSync(errorFile, 'utf8').matchAll(/user (rs\d+) /g)].map((m) => m[1]!) : []);
    await until(async () => (await storedUsers(s, 'rs')).length + refused().size >= 250, 'rsyslog to ship every line', 60_000);
    const stored = await storedUsers(s, 'rs');
    assert.equal(new Set(stored).size, stored.length, 'no line stored twice');
    for (const user of refused()) assert.ok(!stored.includes(user), `${user} was refused with 429 yet stored`);
    assert.equal(stored.length + refused().size, 250);
    assert.ok(stored.includes('rs249'), 'rsyslog went on shipping once the queue had room');
    await assertParsed(s, 'rs');
  });
});

describe('syslog-ng http() to _bulk', { skip: skipWithout(syslogNg, 'syslog-ng') }, () => {
  let s: ShipperSystem;
  let dir: string;
  let child: ChildProcess | undefined;
  before(async () => {
    s = await startShipperSystem({ INGEST_API_KEYS: KEY });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-syslog-ng-es-'));
  });
  after(async () => {
    await stopPeer(child);
    await s?.stop();
    if (dir && !process.env.KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('posts batches of NDJSON that are stored once each, with their fields', async () => {
    const file = path.join(dir, 'auth.log');
    fs.writeFileSync(file, sshdLines('ng', 0, 120));
    const conf = path.join(dir, 'syslog-ng.conf');
    fs.writeFileSync(conf, `@version: 3.38
options { stats-freq(0); };
source s_file { file("${file}" follow-freq(0.2) flags(no-parse)); };
destination d_siem {
  http(url("http://127.0.0.1:${s.port}/_bulk")
       method("POST")
       user("syslog-ng") password("${KEY}")
       headers("Content-Type: application/x-ndjson")
       body("{\\"index\\":{\\"_index\\":\\"syslog-ng\\"}}\\n$(format-json --scope none message=$MESSAGE @timestamp=$ISODATE)")
       delimiter("\\n")
       body-suffix("\\n")
       batch-lines(50) batch-timeout(200));
};
log { source(s_file); destination(d_siem); };
`);
    const peer = syslogNg!;
    child = startPeer(peer.bin, [...peer.args, '-F', '-f', conf, '-p', path.join(dir, 'syslog-ng.pid'), `--persist-file=${path.join(dir, 'syslog-ng.persist')}`, `--control=${path.join(dir, 'syslog-ng.ctl')}`], peer.env, dir);
    await until(async () => (await storedUsers(s, 'ng')).length >= 120, 'syslog-ng to ship 120 lines', 60_000);
    fs.appendFileSync(file, sshdLines('ng', 120, 30));
    await until(async () => (await storedUsers(s, 'ng')).length >= 150, 'syslog-ng to ship the appended lines', 60_000);
    const users = await storedUsers(s, 'ng');
    assert.equal(users.length, 150);
    assert.equal(new Set(users).size, 150);
    await assertParsed(s, 'ng');
  });
});
