// The deployment files cannot run here (no container runtime), so what can be checked is:
// everything compose.yml and the Dockerfile reference exists, the processes get settings
// the server accepts, the ports line up with its defaults, and the nginx configuration
// passes `nginx -t` with the real nginx, in both its host and its compose variant.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.ts';
import { nginx, skipWithout } from '../helpers/peers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const at = (...parts: string[]) => path.join(root, ...parts);

interface Service {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: unknown;
}
const compose = parse(fs.readFileSync(at('compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const siemServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

/** `${NAME:-default}` as compose would read it with NAME unset. */
const withDefaults = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('compose.yml and the Dockerfile', () => {
  it('runs several SIEM processes from this repository on PostgreSQL and Redis, behind nginx', () => {
    assert.ok(siemServices.length >= 2, 'several server processes');
    for (const [name, service] of siemServices) {
      assert.ok(fs.existsSync(at(service.build!, 'Dockerfile')), `${name}: Dockerfile in its build context`);
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, withDefaults(String(v))]));
      assert.match(env.DATABASE_URL ?? '', /^postgresql:\/\/.*@postgres:5432\//, `${name}: DATABASE_URL names the postgres service`);
      assert.match(env.REDIS_URL ?? '', /^redis:\/\/redis:6379/, `${name}: REDIS_URL names the redis service`);
      // The settings as the process would see them (the image adds NODE_ENV, HOST...).
      assert.doesNotThrow(() => loadConfig({ ...env, NODE_ENV: 'production', HOST: '0.0.0.0' }), `${name}: settings the server accepts`);
    }
    for (const dependency of ['postgres', 'redis', 'nginx']) assert.ok(compose.services[dependency], `service ${dependency}`);
  });

  it('mounts files that exist, and the nginx upstream names every SIEM service', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) assert.ok(fs.existsSync(at(source)), `${name}: ${source} exists`);
      }
    }
    const upstream = fs.readFileSync(at('deploy/nginx/compose-upstream.conf'), 'utf8');
    for (const [name] of siemServices) assert.match(upstream, new RegExp(`server ${name}:8431\\b`), `${name} is balanced`);
  });

  it('copies what exists and exposes the ports the server listens on by default', () => {
    const dockerfile = fs.readFileSync(at('Dockerfile'), 'utf8');
    const copies = [...dockerfile.matchAll(/^COPY\s+(.+)$/gm)].map((m) => m[1]!.trim().split(/\s+/).slice(0, -1)).flat();
    assert.ok(copies.length > 3);
    for (const source of copies) assert.ok(fs.existsSync(at(source)), `COPY ${source} exists`);
    const defaults = loadConfig({});
    const exposed = (/^EXPOSE\s+(.+)$/m.exec(dockerfile)?.[1] ?? '').split(/\s+/).map((p) => Number(p.split('/')[0]));
    for (const port of [defaults.PORT, defaults.SYSLOG_TCP_PORT, defaults.SYSLOG_UDP_PORT, defaults.SYSLOG_TLS_PORT, defaults.SHIPPER_PORT]) {
      assert.ok(exposed.includes(port), `port ${port} is exposed`);
    }
  });
});

/** Runs `nginx -t` on siem.conf with the given upstream file, in a private prefix. */
function nginxTest(upstream: string): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-nginx-'));
  try {
    fs.writeFileSync(path.join(dir, 'upstream.conf'), upstream);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`).join('\n');
    fs.writeFileSync(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;
error_log stderr;
events {}
http {
  access_log off;
${temp}
  include ${dir}/upstream.conf;
  include ${at('deploy/nginx/siem.conf')};
}
`);
    const run = spawnSync(nginx!.bin, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8', timeout: 20_000 });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('nginx configuration', { skip: skipWithout(nginx, 'nginx') }, () => {
  it('passes nginx -t as installed on a host (deploy/nginx/upstream.conf)', () => {
    const result = nginxTest(fs.readFileSync(at('deploy/nginx/upstream.conf'), 'utf8'));
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /test is successful/);
  });

  it('passes nginx -t in the compose variant (service names stand in for loopback: they only resolve inside compose)', () => {
    const upstream = fs.readFileSync(at('deploy/nginx/compose-upstream.conf'), 'utf8').replace(/siem-(\d+):8431/g, '127.0.0.1:843$1');
    const result = nginxTest(upstream);
    assert.equal(result.status, 0, result.output);
  });

  it('and nginx -t really checks: a broken directive fails', () => {
    const result = nginxTest('upstream siem { server 127.0.0.1:8431; bogus_directive on; }');
    assert.notEqual(result.status, 0);
    assert.match(result.output, /unknown directive "bogus_directive"/);
  });
});
