// Suricata EVE JSON: one record per event_type. alert -> ids_alert, dns -> dns_query (EVE
// v1/v2 rrname at the top of `dns`, v3 `dns.queries[]`), http -> http_request, tls ->
// tls_handshake, flow/netflow -> network_flow. Every other key stays under suricata.eve.*.
import type { SourceType } from '@siem/contracts';
import { readTimeValue } from '../time-formats.ts';
import type { ParsedFields } from '../types.ts';
import { countFields, flatten, get, isObject, joined, own, setAddress, setNum, setPort, setText, text, uint, type Doc } from './read.ts';
import { docResult, type DocParser } from './types.ts';

const PREFIX = 'suricata.eve';
// Read into ECS names below; flatten skips them so a field is not stored twice.
const MAPPED = new Set(['timestamp', 'event_type', 'src_ip', 'src_port', 'dest_ip', 'dest_port', 'proto', 'app_proto', 'in_iface', 'host', 'community_id']);

export const suricataParser: DocParser = {
  name: 'suricata',
  hints: ['suricata', 'eve'],
  detect(doc) {
    const type = own(doc, 'event_type');
    return typeof type === 'string' && (own(doc, 'src_ip') !== undefined || own(doc, 'flow_id') !== undefined || own(doc, 'in_iface') !== undefined || isObject(own(doc, type)));
  },
  parse(doc, ctx) {
    const type = text(own(doc, 'event_type')) ?? '';
    const fields: ParsedFields = { 'observer.product': 'Suricata', 'event.module': 'suricata', 'event.dataset': `suricata.${type}`.slice(0, 64) };
    setAddress(fields, 'source', own(doc, 'src_ip'));
    setPort(fields, 'source', own(doc, 'src_port'));
    setAddress(fields, 'destination', own(doc, 'dest_ip'));
    setPort(fields, 'destination', own(doc, 'dest_port'));
    const proto = text(own(doc, 'proto'));
    if (proto !== undefined) fields['network.transport'] = proto.toLowerCase();
    setText(fields, 'network.protocol', own(doc, 'app_proto'));
    setText(fields, 'observer.ingress.interface.name', own(doc, 'in_iface'));
    setText(fields, 'network.community_id', own(doc, 'community_id'));
    const host = text(own(doc, 'host')) ?? null;
    // Alerts and fileinfo records carry the app-layer object of their transaction too.
    const http = own(doc, 'http');
    if (isObject(http)) readHttp(http, fields);
    const tls = own(doc, 'tls');
    if (isObject(tls)) readTls(tls, fields);
    let sourceType: SourceType = 'generic';
    let eventType: string | null = null;
    let message = `suricata ${type}`;
    switch (type) {
      case 'alert': {
        sourceType = 'ids';
        eventType = 'ids_alert';
        setText(fields, 'rule.id', get(doc, 'alert.signature_id'));
        setText(fields, 'rule.name', get(doc, 'alert.signature'));
        setText(fields, 'rule.category', get(doc, 'alert.category'));
        const priority = uint(get(doc, 'alert.severity'));
        if (priority !== undefined) fields['ids.priority'] = priority;
        setText(fields, 'event.action', get(doc, 'alert.action'));
        setText(fields, 'rule.version', get(doc, 'alert.rev'));
        fields['event.kind'] = 'alert';
        message = text(get(doc, 'alert.signature')) ?? message;
        break;
      }
      case 'dns': {
        sourceType = 'dns';
        eventType = 'dns_query';
        readDns(doc, fields);
        const name = fields['dns.question.name'];
        if (typeof name === 'string') message = `dns ${fields['dns.question.type'] ?? ''} ${name}`.replace('  ', ' ');
        break;
      }
      case 'http': {
        sourceType = 'proxy';
        eventType = 'http_request';
        message = `${fields['http.request.method'] ?? 'http'} ${fields['url.domain'] ?? ''}${fields['url.original'] ?? ''}`;
        break;
      }
      case 'tls': {
        sourceType = 'proxy';
        eventType = 'tls_handshake';
        message = `tls ${fields['tls.server.name'] ?? ''}`.trim();
        break;
      }
      case 'flow':
      case 'netflow': {
        sourceType = 'firewall';
        eventType = 'network_flow';
        const side = type === 'flow' ? 'flow' : 'netflow';
        setNum(fields, 'source.bytes', get(doc, `${side}.bytes_toserver`) ?? get(doc, `${side}.bytes`));
        setNum(fields, 'destination.bytes', get(doc, `${side}.bytes_toclient`));
        setNum(fields, 'source.packets', get(doc, `${side}.pkts_toserver`) ?? get(doc, `${side}.pkts`));
        setNum(fields, 'destination.packets', get(doc, `${side}.pkts_toclient`));
        setText(fields, 'event.action', get(doc, `${side}.state`));
        setText(fields, 'event.reason', get(doc, `${side}.reason`));
        fields['event.category'] = 'network';
        message = `flow ${fields['network.transport'] ?? ''} ${fields['source.ip'] ?? ''} -> ${fields['destination.ip'] ?? ''}`;
        break;
      }
    }
    flatten(fields, PREFIX, doc, ctx.maxFields - countFields(fields), MAPPED);
    return docResult({
      parser: 'suricata',
      source_type: sourceType,
      event_type: eventType,
      fields,
      timestampMs: readTimeValue(own(doc, 'timestamp'), ctx.zone),
      host,
      message,
    });
  },
};

function readHttp(http: Doc, fields: ParsedFields): void {
  setText(fields, 'url.domain', own(http, 'hostname'));
  setText(fields, 'url.original', own(http, 'url'));
  setText(fields, 'http.request.method', own(http, 'http_method'));
  setNum(fields, 'http.response.status_code', own(http, 'status'));
  setText(fields, 'user_agent.original', own(http, 'http_user_agent'));
  setNum(fields, 'http.response.body.bytes', own(http, 'length'));
  setText(fields, 'http.request.referrer', own(http, 'http_refer'));
  setText(fields, 'http.version', own(http, 'protocol'));
  setText(fields, 'http.response.mime_type', own(http, 'http_content_type'));
}

function readTls(tls: Doc, fields: ParsedFields): void {
  setText(fields, 'tls.server.name', own(tls, 'sni'));
  setText(fields, 'tls.version', own(tls, 'version'));
  setText(fields, 'tls.server.subject', own(tls, 'subject'));
  setText(fields, 'tls.server.issuer', own(tls, 'issuerdn'));
  setText(fields, 'tls.server.hash.sha1', own(tls, 'fingerprint'));
  const ja3 = own(tls, 'ja3');
  if (isObject(ja3)) setText(fields, 'tls.client.ja3', own(ja3, 'hash'));
  const ja3s = own(tls, 'ja3s');
  if (isObject(ja3s)) setText(fields, 'tls.server.ja3s', own(ja3s, 'hash'));
}

/** EVE v1 (one record per query or answer: dns.rrname), v2 (answers[] / grouped) and v3 (queries[]). */
function readDns(doc: Doc, fields: ParsedFields): void {
  const dns = own(doc, 'dns');
  if (!isObject(dns)) return;
  let name = own(dns, 'rrname');
  let type = own(dns, 'rrtype');
  const queries = own(dns, 'queries');
  if (name === undefined && Array.isArray(queries) && isObject(queries[0])) {
    name = own(queries[0], 'rrname');
    type = own(queries[0], 'rrtype');
  }
  setText(fields, 'dns.question.name', name);
  setText(fields, 'dns.question.type', type);
  setText(fields, 'dns.response_code', own(dns, 'rcode'));
  setText(fields, 'dns.id', own(dns, 'id'));
  setText(fields, 'event.action', own(dns, 'type'));
  const answers: string[] = [];
  const list = own(dns, 'answers');
  if (Array.isArray(list)) {
    for (let i = 0; i < list.length && answers.length < 32; i++) {
      const item = list[i];
      const data = isObject(item) ? text(own(item, 'rdata')) : undefined;
      if (data !== undefined) answers.push(data);
    }
  }
  const grouped = own(dns, 'grouped');
  if (answers.length === 0 && isObject(grouped)) {
    for (const key in grouped) {
      if (!Object.hasOwn(grouped, key)) continue;
      const values = joined(grouped[key]);
      if (values !== undefined) answers.push(values);
      if (answers.length >= 32) break;
    }
  }
  const single = text(own(dns, 'rdata'));
  if (answers.length === 0 && single !== undefined) answers.push(single);
  if (answers.length > 0) fields['dns.answers'] = answers.join(',');
}
