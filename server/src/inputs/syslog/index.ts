// The syslog inputs: UDP, TCP and (with a certificate and key) TLS listeners on HOST, each
// reported in the Sources registry. A port of 0 turns its listener off; a listener that cannot
// bind is reported as failed there and in the log, without stopping the rest of the server.
import fs from 'node:fs';
import type tls from 'node:tls';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Intake } from '../../services/intake-types.ts';
import type { InputHandle, Sources } from '../../services/sources.ts';
import { createStreamInput } from './stream.ts';
import { createUdpInput } from './udp.ts';

export type SyslogConfig = Pick<
  Config,
  | 'HOST'
  | 'SYSLOG_UDP_PORT'
  | 'SYSLOG_TCP_PORT'
  | 'SYSLOG_TLS_PORT'
  | 'SYSLOG_TLS_CERT_FILE'
  | 'SYSLOG_TLS_KEY_FILE'
  | 'SYSLOG_TLS_CA_FILE'
  | 'SYSLOG_TLS_CLIENT_AUTH'
  | 'SYSLOG_MAX_LINE_BYTES'
  | 'SYSLOG_TCP_IDLE_SECONDS'
  | 'SYSLOG_TCP_MAX_CONNECTIONS'
  | 'SHUTDOWN_TIMEOUT_MS'
>;

export interface SyslogInputs {
  /** Stops accepting, stores what was read (within the shutdown grace), closes. */
  stop(): Promise<void>;
  /** Bound ports of the listeners that are up. */
  addresses(): { udp?: number; tcp?: number; tls?: number };
}

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

export async function startSyslogInputs(deps: { config: SyslogConfig; intake: Intake; sources: Sources; log: Logger }): Promise<SyslogInputs> {
  const { config, intake, sources } = deps;
  const log = deps.log.child({ component: 'syslog' });
  const stops: (() => Promise<void>)[] = [];
  const bound: { udp?: number; tcp?: number; tls?: number } = {};
  // Leave the writer part of the shutdown budget to flush what the listeners handed over.
  const graceMs = Math.floor(config.SHUTDOWN_TIMEOUT_MS / 2);

  async function start(key: 'udp' | 'tcp' | 'tls', handle: InputHandle, port: number, listen: (host: string, port: number) => Promise<number>, stop: () => Promise<void>) {
    if (port === 0) {
      handle.setState('off', null, `SYSLOG_${key.toUpperCase()}_PORT is 0`);
      return;
    }
    try {
      const actual = await listen(config.HOST, port);
      bound[key] = actual;
      handle.setState('listening', hostPort(config.HOST, actual));
      stops.push(async () => {
        await stop();
        handle.setState('off', null, 'stopped');
      });
      log.info(`syslog over ${key.toUpperCase()} listening on ${hostPort(config.HOST, actual)}`);
    } catch (err) {
      const message = `cannot listen on ${hostPort(config.HOST, port)}: ${(err as Error).message}`;
      handle.setState('error', hostPort(config.HOST, port), message);
      log.error({ err }, `syslog over ${key.toUpperCase()} ${message}`);
    }
  }

  const common = { intake, log, maxLineBytes: config.SYSLOG_MAX_LINE_BYTES, idleMs: config.SYSLOG_TCP_IDLE_SECONDS * 1000, maxConnections: config.SYSLOG_TCP_MAX_CONNECTIONS };

  const udpHandle = sources.register('syslog-udp', 'syslog');
  const udp = createUdpInput({ handle: udpHandle, intake, log, maxLineBytes: config.SYSLOG_MAX_LINE_BYTES });
  await start('udp', udpHandle, config.SYSLOG_UDP_PORT, udp.listen, udp.stop);

  const tcpHandle = sources.register('syslog-tcp', 'syslog');
  const tcp = createStreamInput({ ...common, name: 'syslog-tcp', handle: tcpHandle });
  await start('tcp', tcpHandle, config.SYSLOG_TCP_PORT, tcp.listen, () => tcp.stop(graceMs));

  const tlsHandle = sources.register('syslog-tls', 'syslog');
  if (!config.SYSLOG_TLS_CERT_FILE || !config.SYSLOG_TLS_KEY_FILE) {
    tlsHandle.setState('off', null, 'SYSLOG_TLS_CERT_FILE and SYSLOG_TLS_KEY_FILE are not set');
  } else {
    let tlsOptions: tls.TlsOptions | null = null;
    try {
      tlsOptions = {
        cert: fs.readFileSync(config.SYSLOG_TLS_CERT_FILE),
        key: fs.readFileSync(config.SYSLOG_TLS_KEY_FILE),
        ...(config.SYSLOG_TLS_CA_FILE ? { ca: fs.readFileSync(config.SYSLOG_TLS_CA_FILE) } : {}),
        requestCert: config.SYSLOG_TLS_CLIENT_AUTH,
        rejectUnauthorized: config.SYSLOG_TLS_CLIENT_AUTH,
      };
    } catch (err) {
      const message = `cannot read the TLS certificate, key or CA: ${(err as Error).message}`;
      tlsHandle.setState('error', null, message);
      log.error({ err }, `syslog over TLS ${message}`);
    }
    if (tlsOptions) {
      try {
        const secure = createStreamInput({ ...common, name: 'syslog-tls', handle: tlsHandle, tls: tlsOptions });
        await start('tls', tlsHandle, config.SYSLOG_TLS_PORT, secure.listen, () => secure.stop(graceMs));
      } catch (err) {
        // A key that does not match its certificate, or a file that is not PEM.
        const message = `bad TLS certificate or key: ${(err as Error).message}`;
        tlsHandle.setState('error', null, message);
        log.error({ err }, `syslog over TLS ${message}`);
      }
    }
  }

  return {
    async stop() {
      await Promise.all(stops.splice(0).map((s) => s()));
    },
    addresses: () => ({ ...bound }),
  };
}
