// The real log senders the intake tests drive (Debian's packages): logger (util-linux),
// rsyslogd (with omelasticsearch), syslog-ng (core + http module) and nginx. Debian's rsyslog
// and syslog-ng packages conflict, so .ci/run installs rsyslog and unpacks syslog-ng's
// packages into .ci/tools/syslog-ng; both are run as the test's own processes with their own
// configuration, pid file and loopback ports. A missing peer skips its suite by name.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Peer {
  bin: string;
  /** Extra environment the binary needs (library path of an unpacked package). */
  env: NodeJS.ProcessEnv;
  /** Arguments every invocation needs (syslog-ng's module path when unpacked). */
  args: string[];
}

const exists = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function systemPeer(...candidates: string[]): Peer | null {
  const bin = candidates.find(exists);
  return bin ? { bin, env: {}, args: [] } : null;
}

export const logger = systemPeer('/usr/bin/logger', '/bin/logger');
export const rsyslogd = systemPeer('/usr/sbin/rsyslogd');
export const nginx = systemPeer('/usr/sbin/nginx');

/** rsyslog's module directory, where omelasticsearch.so must be for the _bulk suite. */
export const rsyslogModuleDir = ['/usr/lib/x86_64-linux-gnu/rsyslog', '/usr/lib/aarch64-linux-gnu/rsyslog', '/usr/lib/rsyslog'].find((d) =>
  fs.existsSync(d),
) ?? null;
export const hasOmElasticsearch = rsyslogModuleDir !== null && fs.existsSync(path.join(rsyslogModuleDir, 'omelasticsearch.so'));

function syslogNgPeer(): Peer | null {
  const unpacked = process.env.SYSLOG_NG_ROOT ?? path.join(repoRoot, '.ci/tools/syslog-ng');
  const bin = path.join(unpacked, 'usr/sbin/syslog-ng');
  if (exists(bin)) {
    const modules = fs.readdirSync(path.join(unpacked, 'usr/lib/syslog-ng')).find((d) => /^\d/.test(d));
    return {
      bin,
      env: { LD_LIBRARY_PATH: [path.join(unpacked, 'usr/lib/syslog-ng'), path.join(unpacked, 'usr/lib/x86_64-linux-gnu'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
      args: modules ? [`--module-path=${path.join(unpacked, 'usr/lib/syslog-ng', modules)}`] : [],
    };
  }
  return systemPeer('/usr/sbin/syslog-ng');
}
export const syslogNg = syslogNgPeer();

/** The skip reason for a suite needing `peer`, or false when it can run. */
export function skipWithout(peer: Peer | null | boolean, what: string): string | false {
  return peer ? false : `${what} not installed: suite skipped (bash .ci/run installs it)`;
}
