import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestEventSchema } from '@siem/contracts';
import { parseLine, parseRecord, toIngestFields } from '../../src/engine/parse/index.ts';
import { check, OPTS, runTable } from './parse-helpers.ts';

// CEF and LEEF records written for these tests.
const IPS = 'CEF:0|Example Networks|Sentinel IPS|4.2.1|31337|SQL injection attempt in URI|9|src=198.51.100.9 spt=51515 dst=10.1.1.20 dpt=443 proto=TCP act=blocked request=https://shop.example.org/item?id\\=1 OR 1\\=1 cs1Label=Policy cs1=DMZ Inbound cs2Label=Zone Name cs2=dmz cat=attack rt=1773569700000';

test('CEF: header escapes, extension values with spaces and escapes, custom labels, severity to priority', () => {
  const r = parseLine(IPS, OPTS);
  check(r, {
    parser: 'cef', source_type: 'ids', event_type: 'ids_alert',
    fields: {
      'observer.vendor': 'Example Networks', 'observer.product': 'Sentinel IPS', 'observer.version': '4.2.1', 'rule.id': '31337',
      'rule.name': 'SQL injection attempt in URI', 'event.severity': '9', 'ids.priority': 1, 'source.ip': '198.51.100.9', 'source.port': 51515,
      'destination.ip': '10.1.1.20', 'destination.port': 443, 'network.transport': 'tcp', 'event.action': 'blocked',
      'url.original': 'https://shop.example.org/item?id=1 OR 1=1', 'cef.cs1': 'DMZ Inbound', 'cef.Policy': 'DMZ Inbound', 'cef.Zone_Name': 'dmz', 'rule.category': 'attack',
    },
  }, 'ips');
  assert.equal(r.timestampMs, 1773569700000);
  const flat = toIngestFields(r);
  assert.deepEqual([flat.signature_id, flat.signature_name, flat.classification, flat.priority, flat.source_ip, flat.dest_port], ['31337', 'SQL injection attempt in URI', 'attack', 1, '198.51.100.9', 443]);
  assert.ok(IngestEventSchema.safeParse(flat).success);

  runTable([
    {
      name: 'escaped pipe and backslash in the header',
      line: 'CEF:0|Acme\\|Labs|Web\\\\Guard|1.0|xss-01|Reflected XSS|Medium|src=192.0.2.1 msg=script tag in q\\=<script>\\nline two',
      expect: { fields: { 'observer.vendor': 'Acme|Labs', 'observer.product': 'Web\\Guard', 'rule.id': 'xss-01', 'ids.priority': 2, 'event.reason': 'script tag in q=<script>\nline two' } },
    },
    { name: 'severity 3 is low', line: 'CEF:0|V|P|1|100|Policy notice|3|src=192.0.2.1', expect: { fields: { 'ids.priority': 3 } } },
    { name: 'severity 7 is high', line: 'CEF:0|V|P|1|100|x|7|', expect: { fields: { 'ids.priority': 1 } } },
    { name: 'Very-High', line: 'CEF:0|V|P|1|100|x|Very-High|', expect: { fields: { 'ids.priority': 1 } } },
    { name: 'severity out of range', line: 'CEF:0|V|P|1|100|x|42|', expect: { fields: { 'event.severity': '42' }, absent: ['ids.priority'] } },
    { name: 'no extension at all', line: 'CEF:0|V|P|1|100|name|5', expect: { parser: 'cef', fields: { 'rule.name': 'name', 'ids.priority': 2 } } },
    { name: 'host name where an address belongs', line: 'CEF:0|V|P|1|100|n|5|src=gw.example.net dst=10.0.0.1', expect: { fields: { 'source.domain': 'gw.example.net' }, absent: ['source.ip'] } },
    { name: 'bad port dropped', line: 'CEF:0|V|P|1|100|n|5|spt=99999 dpt=22', expect: { fields: { 'destination.port': 22 }, absent: ['source.port'] } },
    { name: 'users', line: 'CEF:0|V|P|1|100|n|5|suser=alice duser=root', expect: { fields: { 'user.name': 'alice', 'user.target.name': 'root' } } },
    { name: 'process path', line: 'CEF:0|V|EDR|1|100|n|8|sproc=C:\\\\Windows\\\\System32\\\\rundll32.exe', expect: { fields: { 'process.name': 'rundll32.exe', 'process.executable': 'C:\\Windows\\System32\\rundll32.exe' } } },
    { name: 'not CEF (too few fields)', line: 'CEF:0|V|P|1', expect: { parser: null } },
  ]);
});

test('CEF: the record says whether it is an IDS alert, a firewall decision, a login or a web request', () => {
  runTable([
    { name: 'firewall deny', line: 'CEF:0|Example|Edge Firewall|9.1|106023|Deny tcp|5|act=deny src=203.0.113.1 spt=5000 dst=10.0.0.5 dpt=3389 proto=TCP in=60 out=0', expect: { source_type: 'firewall', event_type: 'firewall_deny', fields: { 'event.action': 'deny', 'source.bytes': 60, 'destination.bytes': 0 } } },
    { name: 'firewall allow', line: 'CEF:0|Example|Edge Firewall|9.1|302013|Built connection|3|act=allow src=10.0.0.5 dst=203.0.113.1 dpt=443', expect: { source_type: 'firewall', event_type: 'network_flow' } },
    { name: 'login failure', line: 'CEF:0|Example|VPN Gateway|2.0|auth-fail|Login failed|6|cat=/Authentication/Verify outcome=Failure suser=jdoe src=198.51.100.3', expect: { source_type: 'auth', event_type: 'login_failure', fields: { 'user.name': 'jdoe', 'event.outcome': 'failure' } } },
    { name: 'login success', line: 'CEF:0|Example|VPN Gateway|2.0|auth-ok|Login|2|cat=Authentication outcome=success suser=jdoe', expect: { source_type: 'auth', event_type: 'login_success' } },
    { name: 'proxy', line: 'CEF:0|Example|Web Proxy|5|200|Request|1|requestMethod=GET request=http://a.example/x requestClientApplication=curl/8 src=10.0.0.9', expect: { source_type: 'proxy', event_type: 'http_request', fields: { 'http.request.method': 'GET', 'user_agent.original': 'curl/8' } } },
  ]);
});

test('CEF inside syslog: with a host, without one, under an appliance tag, and as a shipped record', () => {
  runTable([
    { name: 'with host', line: `<134>Mar 15 10:15:00 ips-01 ${IPS}`, expect: { parser: 'cef', host: 'ips-01', event_type: 'ids_alert' } },
    { name: 'without host', line: `<134>Mar 15 10:15:00 ${IPS}`, expect: { parser: 'cef', host: null, fields: { 'rule.id': '31337', 'observer.vendor': 'Example Networks' } } },
    { name: 'under a tag', line: `<134>Mar 15 10:15:00 ips-01 SentinelIPS: ${IPS}`, expect: { parser: 'cef', host: 'ips-01', program: 'SentinelIPS' } },
    { name: 'RFC 5424', line: `<134>1 2026-03-15T10:15:00Z ips-01 sentinel - - - ${IPS}`, expect: { parser: 'cef', host: 'ips-01' } },
  ]);
  const r = parseRecord({ message: IPS, program: 'sentinel', host: 'ips-01' }, OPTS);
  assert.equal(r.parser, 'cef');
});

test('LEEF 1.0 (tabs) and 2.0 (named delimiters)', () => {
  runTable([
    {
      name: '1.0 tabs',
      line: 'LEEF:1.0|Example|Mail Gateway|3.1|SPAM_BLOCK|src=203.0.113.5\tdst=10.0.0.25\tsrcPort=41000\tdstPort=25\tusrName=bob@example.org\tsev=4\tcat=Spam\tproto=TCP',
      expect: { parser: 'leef', source_type: 'ids', event_type: 'ids_alert', fields: { 'rule.id': 'SPAM_BLOCK', 'rule.name': 'SPAM_BLOCK', 'rule.category': 'Spam', 'source.ip': '203.0.113.5', 'destination.port': 25, 'user.name': 'bob@example.org', 'ids.priority': 2, 'network.transport': 'tcp', 'leef.version': '1.0' } },
    },
    {
      name: '2.0 caret',
      line: 'LEEF:2.0|Example|NetSensor|7.0|4011|^|src=10.0.1.8^dst=10.0.0.5^sev=8^cat=Recon^srcPort=81^dstPort=21^usrName=jblack',
      expect: { parser: 'leef', fields: { 'source.ip': '10.0.1.8', 'destination.port': 21, 'ids.priority': 1, 'user.name': 'jblack', 'rule.category': 'Recon' } },
    },
    {
      name: '2.0 hex delimiter',
      line: 'LEEF:2.0|Example|NetSensor|7.0|4012|0x7c|src=10.0.1.9|dst=10.0.0.6|sev=2',
      expect: { fields: { 'source.ip': '10.0.1.9', 'destination.ip': '10.0.0.6', 'ids.priority': 3 } },
    },
    {
      name: '2.0 without the delimiter field',
      line: 'LEEF:2.0|Example|NetSensor|7.0|4013|src=10.0.1.10\tdst=10.0.0.7',
      expect: { fields: { 'source.ip': '10.0.1.10', 'destination.ip': '10.0.0.7' } },
    },
    {
      name: 'firewall',
      line: 'LEEF:1.0|Example|Perimeter Firewall|1.0|DROP|action=drop\tsrc=198.51.100.1\tdst=10.0.0.1\tdstPort=22\tdevTime=1773569700000',
      expect: { source_type: 'firewall', event_type: 'firewall_deny' },
    },
    { name: 'in syslog', line: '<13>Mar 15 10:15:00 mailgw LEEF:1.0|Example|Mail Gateway|3.1|SPAM_BLOCK|src=203.0.113.5', expect: { parser: 'leef', host: 'mailgw' } },
    { name: 'not LEEF', line: 'LEEF:1.0|only|three', expect: { parser: null } },
  ]);
  assert.equal(parseLine('LEEF:1.0|Example|Perimeter Firewall|1.0|DROP|devTime=1773569700000', OPTS).timestampMs, 1773569700000);
});
