// Syslog over TLS (RFC 5425) with certificates made by the openssl CLI for the test: server
// authentication, then mutual TLS. Octet-counted and newline-framed messages are stored;
// clients that fail the handshake are counted and do not disturb the listener.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { freePort, startSyslogSystem, tempDir, waitUntil, type SyslogSystem } from './syslog-kit.ts';

const openssl = ['/usr/bin/openssl', '/bin/openssl'].find((f) => fs.existsSync(f));
const skip = openssl ? false : 'openssl not installed: TLS suite skipped';

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A CA, a server certificate for 127.0.0.1 signed by it, and a client certificate. */
function makeCertificates(dir: string) {
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync(openssl!, args, { stdio: 'pipe' });
  ssl('req', '-x509', ...EC, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=siem-test-ca');
  for (const who of ['server', 'client']) {
    ssl('req', ...EC, '-keyout', f(`${who}.key`), '-out', f(`${who}.csr`), '-subj', `/CN=${who === 'server' ? 'localhost' : 'shipper'}`);
    fs.writeFileSync(f(`${who}.ext`), who === 'server' ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' : 'extendedKeyUsage=clientAuth\n');
    ssl('x509', '-req', '-in', f(`${who}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${who}.pem`), '-days', '2', '-extfile', f(`${who}.ext`));
  }
  return { ca: f('ca.pem'), serverCert: f('server.pem'), serverKey: f('server.key'), clientCert: f('client.pem'), clientKey: f('client.key') };
}

function tlsSend(port: number, data: string, opts: tls.ConnectionOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...opts }, () => {
      socket.end(data);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.resume();
  });
}

const sshd = (user: string) => `<38>1 2026-01-05T10:00:01Z bastion sshd 9 - - Failed password for invalid user ${user} from 203.0.113.9 port 4242 ssh2`;
const octet = (m: string) => `${Buffer.byteLength(m)} ${m}`;

describe('syslog over TLS', { skip }, () => {
  let s: SyslogSystem;
  let certs: ReturnType<typeof makeCertificates>;
  let dir: ReturnType<typeof tempDir>;
  let port: number;
  before(async () => {
    dir = tempDir('siem-tls-');
    certs = makeCertificates(dir.dir);
    port = await freePort('tcp');
    s = await startSyslogSystem({ SYSLOG_TLS_PORT: String(port), SYSLOG_TLS_CERT_FILE: certs.serverCert, SYSLOG_TLS_KEY_FILE: certs.serverKey });
  });
  after(async () => {
    await s.stop();
    dir.remove();
  });

  it('octet-counted and newline-framed messages from a client that checks the certificate are stored', async () => {
    assert.equal(s.input('syslog-tls').state, 'listening');
    const ca = fs.readFileSync(certs.ca);
    await tlsSend(port, octet(sshd('tlsoctet1')) + octet(sshd('tlsoctet2')), { ca, servername: 'localhost' });
    await tlsSend(port, `${sshd('tlslf1')}\n${sshd('tlslf2')}\n`, { ca, servername: 'localhost' });
    const events = [...(await s.waitFor('tlsoctet', 2)), ...(await s.waitFor('tlslf', 2))];
    for (const e of events) {
      assert.equal(e.source_type, 'auth');
      assert.equal(e.source_ip, '203.0.113.9');
      assert.equal(e.hostname, 'bastion');
    }
  });

  it('a client speaking plain TCP to the TLS port is counted as a failed handshake; the listener keeps serving', async () => {
    const before = s.input('syslog-tls').dropped.tls_handshake ?? 0;
    const plain = net.connect({ host: '127.0.0.1', port });
    plain.on('error', () => {});
    plain.end(`${sshd('plaintext')}\n`);
    await new Promise((r) => plain.once('close', r));
    await waitUntil(() => (s.input('syslog-tls').dropped.tls_handshake ?? 0) === before + 1, 10_000, () => 'a failed handshake counted');
    await tlsSend(port, `${sshd('tlsafterplain')}\n`, { ca: fs.readFileSync(certs.ca), servername: 'localhost' });
    await s.waitFor('tlsafterplain');
    assert.deepEqual(await s.find('plaintext'), []);
  });
});

describe('syslog over mutual TLS (SYSLOG_TLS_CLIENT_AUTH)', { skip }, () => {
  let s: SyslogSystem;
  let certs: ReturnType<typeof makeCertificates>;
  let dir: ReturnType<typeof tempDir>;
  let port: number;
  before(async () => {
    dir = tempDir('siem-mtls-');
    certs = makeCertificates(dir.dir);
    port = await freePort('tcp');
    s = await startSyslogSystem({
      SYSLOG_TLS_PORT: String(port), SYSLOG_TLS_CERT_FILE: certs.serverCert, SYSLOG_TLS_KEY_FILE: certs.serverKey,
      SYSLOG_TLS_CA_FILE: certs.ca, SYSLOG_TLS_CLIENT_AUTH: 'true',
    });
  });
  after(async () => {
    await s.stop();
    dir.remove();
  });

  it('a client with a certificate from the CA is served; one without is refused and counted', async () => {
    const ca = fs.readFileSync(certs.ca);
    await tlsSend(port, octet(sshd('mtlsok')), { ca, servername: 'localhost', cert: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey) });
    await s.waitFor('mtlsok');

    const before = s.input('syslog-tls').dropped.tls_handshake ?? 0;
    // TLS 1.3 reports the refusal after the client's handshake completes: the write is lost.
    await tlsSend(port, octet(sshd('mtlsnocert')), { ca, servername: 'localhost' }).catch(() => {});
    await waitUntil(() => (s.input('syslog-tls').dropped.tls_handshake ?? 0) === before + 1, 10_000, () => 'a refused client counted');
    assert.deepEqual(await s.find('mtlsnocert'), []);
  });
});
