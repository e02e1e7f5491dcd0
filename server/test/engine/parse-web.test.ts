import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestEventSchema } from '@siem/contracts';
import { parseLine, toIngestFields } from '../../src/engine/parse/index.ts';
import { OPTS, runTable } from './parse-helpers.ts';

// Access and error lines written for these tests in nginx's and Apache's default formats.
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36';

test('access logs: combined, common, vhost-prefixed, IPv6, odd requests', () => {
  runTable([
    {
      name: 'combined',
      line: `203.0.113.50 - - [15/Mar/2026:10:15:32 +0100] "GET /wp-login.php?redirect_to=%2F HTTP/1.1" 404 162 "https://www.example.org/" "${UA}"`,
      expect: { parser: 'web-access', source_type: 'proxy', event_type: 'http_request', fields: { 'source.ip': '203.0.113.50', 'http.request.method': 'GET', 'url.original': '/wp-login.php?redirect_to=%2F', 'http.version': '1.1', 'http.response.status_code': 404, 'http.response.body.bytes': 162, 'http.request.referrer': 'https://www.example.org/', 'user_agent.original': UA, 'event.outcome': 'failure' }, absent: ['user.name'] },
    },
    {
      name: 'common with user, no body',
      line: '192.0.2.8 - alice [15/Mar/2026:10:15:33 +0000] "POST /api/upload HTTP/2.0" 201 -',
      expect: { fields: { 'user.name': 'alice', 'http.request.method': 'POST', 'http.response.status_code': 201, 'event.outcome': 'success', 'http.version': '2.0' }, absent: ['http.response.body.bytes', 'user_agent.original'] },
    },
    {
      name: 'apache vhost_combined',
      line: `shop.example.org:443 198.51.100.14 - - [15/Mar/2026:10:15:34 +0000] "GET /cart HTTP/1.1" 200 5120 "-" "curl/8.5.0"`,
      expect: { fields: { 'url.domain': 'shop.example.org', 'destination.port': 443, 'source.ip': '198.51.100.14', 'user_agent.original': 'curl/8.5.0' }, absent: ['http.request.referrer'] },
    },
    {
      name: 'nginx server_name prefix, extra fields after the agent',
      line: `api.example.org 2001:db8::7 - - [15/Mar/2026:10:15:35 +0000] "DELETE /v1/items/9 HTTP/1.1" 403 0 "-" "python-requests/2.31" "10.0.0.4" 0.004`,
      expect: { fields: { 'url.domain': 'api.example.org', 'source.ip': '2001:db8::7', 'http.request.method': 'DELETE', 'http.response.body.bytes': 0, 'user_agent.original': 'python-requests/2.31' } },
    },
    {
      name: 'quotes escaped in the agent, TLS bytes as the request',
      line: '192.0.2.99 - - [15/Mar/2026:10:15:36 +0000] "\\x16\\x03\\x01\\x02\\x00\\x01" 400 157 "-" "say \\"hi\\""',
      expect: { fields: { 'url.original': '\\x16\\x03\\x01\\x02\\x00\\x01', 'http.response.status_code': 400, 'user_agent.original': 'say "hi"' }, absent: ['http.request.method'] },
    },
    {
      name: 'host name as the client (HostnameLookups on)',
      line: 'crawler.example.net - - [15/Mar/2026:10:15:37 +0000] "HEAD / HTTP/1.0" 200 0',
      expect: { fields: { 'source.domain': 'crawler.example.net', 'http.request.method': 'HEAD' }, absent: ['source.ip'] },
    },
  ]);
  const r = parseLine(`203.0.113.50 - - [15/Mar/2026:10:15:32 +0100] "GET / HTTP/1.1" 200 10 "-" "${UA}"`, OPTS);
  assert.equal(r.timestampMs, Date.UTC(2026, 2, 15, 9, 15, 32), 'the offset in the stamp is applied');
  const flat = toIngestFields(r);
  assert.deepEqual([flat.source_ip, flat.url, flat.method, flat.status_code, flat.user_agent, flat.bytes_transferred], ['203.0.113.50', '/', 'GET', 200, UA, 10]);
  assert.ok(IngestEventSchema.safeParse(flat).success);
});

test('nginx error log: level, pid, client, request, host; basic-auth failures are login failures', () => {
  runTable([
    {
      name: 'open() failed',
      line: '2026/03/15 10:20:01 [error] 2875#2875: *1942 open() "/var/www/html/.env" failed (2: No such file or directory), client: 198.51.100.23, server: www.example.org, request: "GET /.env HTTP/1.1", host: "www.example.org"',
      expect: { parser: 'nginx-error', source_type: 'proxy', event_type: 'web_error', pid: null, fields: { 'log.level': 'error', 'process.pid': 2875, 'nginx.connection_id': 1942, 'source.ip': '198.51.100.23', 'nginx.server_name': 'www.example.org', 'http.request.method': 'GET', 'url.original': '/.env', 'url.domain': 'www.example.org', 'error.message': 'open() "/var/www/html/.env" failed (2: No such file or directory)' } },
    },
    {
      name: 'user not found',
      line: '2026/03/15 10:20:02 [error] 2875#2875: *1950 user "admin" was not found in "/etc/nginx/.htpasswd", client: 198.51.100.23, server: intranet, request: "GET /admin/ HTTP/1.1", host: "intranet.example.org"',
      expect: { source_type: 'auth', event_type: 'login_failure', fields: { 'user.name': 'admin', 'event.reason': 'user_not_found', 'event.outcome': 'failure', 'source.ip': '198.51.100.23', 'url.original': '/admin/' } },
    },
    {
      name: 'password mismatch',
      line: '2026/03/15 10:20:03 [error] 2875#2875: *1951 user "ops": password mismatch, client: 198.51.100.23, server: intranet, request: "GET /admin/ HTTP/1.1", host: "intranet.example.org"',
      expect: { event_type: 'login_failure', fields: { 'user.name': 'ops', 'event.reason': 'password_mismatch', 'auth.method': 'basic' } },
    },
    {
      name: 'upstream, warn without connection',
      line: '2026/03/15 10:20:04 [warn] 2875#2875: *77 upstream server temporarily disabled while connecting to upstream, client: 192.0.2.5, server: api, request: "POST /v1 HTTP/1.1", upstream: "http://127.0.0.1:8080/v1", host: "api.example.org"',
      expect: { fields: { 'log.level': 'warn', 'nginx.upstream': 'http://127.0.0.1:8080/v1', 'source.ip': '192.0.2.5' } },
    },
    {
      name: 'notice with no context',
      line: '2026/03/15 10:20:05 [notice] 1#1: signal process started',
      expect: { event_type: 'web_error', fields: { 'log.level': 'notice', 'error.message': 'signal process started' }, absent: ['source.ip'] },
    },
  ]);
  // No offset in the stamp: the configured zone applies.
  const r = parseLine('2026/03/15 11:20:01 [error] 1#1: *1 x, client: 192.0.2.1, server: s', { ...OPTS, timeZone: 'Europe/Paris' });
  assert.equal(r.timestampMs, Date.UTC(2026, 2, 15, 10, 20, 1));
});

test('Apache error log: 2.4 and 2.2 formats, IPv6 clients, AH codes, auth failures', () => {
  runTable([
    {
      name: '2.4 core error',
      line: '[Sun Mar 15 10:30:00.123456 2026] [core:error] [pid 14022:tid 140118] [client 198.51.100.40:50422] AH00126: Invalid URI in request GET /cgi-bin/.%2e/.%2e/bin/sh HTTP/1.1',
      expect: { parser: 'apache-error', source_type: 'proxy', event_type: 'web_error', fields: { 'log.level': 'error', 'apache.module': 'core', 'process.pid': 14022, 'source.ip': '198.51.100.40', 'source.port': 50422, 'error.code': 'AH00126', 'error.message': 'Invalid URI in request GET /cgi-bin/.%2e/.%2e/bin/sh HTTP/1.1' } },
    },
    {
      name: '2.4 auth_basic password mismatch',
      line: '[Sun Mar 15 10:30:01.000001 2026] [auth_basic:error] [pid 14022:tid 140119] [client 198.51.100.40:50430] AH01617: user bob: authentication failure for "/private/": Password Mismatch, referer: https://www.example.org/',
      expect: { source_type: 'auth', event_type: 'login_failure', fields: { 'user.name': 'bob', 'url.original': '/private/', 'event.reason': 'password_mismatch', 'http.request.referrer': 'https://www.example.org/', 'source.ip': '198.51.100.40' } },
    },
    {
      name: '2.4 auth_basic user not found',
      line: '[Sun Mar 15 10:30:02.5 2026] [auth_basic:error] [pid 14022] [client [2001:db8::40]:50431] AH01618: user mallory not found: /private/',
      expect: { event_type: 'login_failure', fields: { 'user.name': 'mallory', 'event.reason': 'user_not_found', 'source.ip': '2001:db8::40', 'source.port': 50431, 'url.original': '/private/' } },
    },
    {
      name: '2.2',
      line: '[Sun Mar 15 10:30:03 2026] [error] [client 192.0.2.77] File does not exist: /var/www/html/phpmyadmin',
      expect: { fields: { 'log.level': 'error', 'source.ip': '192.0.2.77', 'error.message': 'File does not exist: /var/www/html/phpmyadmin' }, absent: ['apache.module', 'source.port'] },
    },
  ]);
  assert.equal(parseLine('[Sun Mar 15 10:30:00.123456 2026] [core:error] [pid 1] x', OPTS).timestampMs, Date.UTC(2026, 2, 15, 10, 30, 0, 123));
  // A bracketed line that is not Apache's stays unparsed.
  assert.equal(parseLine('[Sun Mar 15 10:30:00 2026] [shrug] hello', OPTS).unparsed, true);
});

test('syslog messages from nginx, httpd and apache2 go to the web parsers', () => {
  runTable([
    { name: 'nginx access via syslog', line: '<190>Mar 15 10:40:00 web-01 nginx: 192.0.2.4 - - [15/Mar/2026:10:40:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"', expect: { parser: 'web-access', host: 'web-01', program: 'nginx', event_type: 'http_request', fields: { 'url.original': '/health' } } },
    { name: 'nginx error via syslog', line: '<187>Mar 15 10:40:01 web-01 nginx: 2026/03/15 10:40:01 [error] 9#9: *3 user "x" was not found in "/etc/nginx/htpasswd", client: 192.0.2.4, server: a, request: "GET / HTTP/1.1"', expect: { parser: 'nginx-error', event_type: 'login_failure', fields: { 'user.name': 'x' } } },
    { name: 'httpd error', line: 'Mar 15 10:40:02 web-02 httpd[900]: [Sun Mar 15 10:40:02.000001 2026] [proxy:error] [pid 900] [client 192.0.2.4:1] AH00898: Error reading from remote server', expect: { parser: 'apache-error', pid: 900, fields: { 'error.code': 'AH00898' } } },
    { name: 'httpd error via ErrorLog syslog (no time of its own)', line: 'Mar 15 10:40:02 web-02 httpd[900]: [auth_basic:error] [pid 900] [client 192.0.2.4:7] AH01618: user ghost not found: /secure', expect: { parser: 'apache-error', event_type: 'login_failure', fields: { 'user.name': 'ghost', 'source.ip': '192.0.2.4', 'error.code': 'AH01618' } } },
    { name: 'apache2 access', line: 'Mar 15 10:40:03 web-02 apache2: 192.0.2.4 - - [15/Mar/2026:10:40:03 +0000] "GET / HTTP/1.1" 200 10', expect: { parser: 'web-access' } },
    { name: 'nginx free text', line: 'Mar 15 10:40:04 web-01 nginx: started', expect: { parser: null, program: 'nginx' } },
  ]);
});
