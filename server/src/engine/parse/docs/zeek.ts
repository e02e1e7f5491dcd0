// Zeek JSON logs (LogAscii::use_json, or the json-streaming package's _path): conn ->
// network_flow, dns -> dns_query, http -> http_request, ssl -> tls_handshake, notice ->
// ids_alert. The log is named by _path, else the hint, else told apart by its keys.
import type { SourceType } from '@siem/contracts';
import { readTimeValue } from '../time-formats.ts';
import type { ParsedFields } from '../types.ts';
import { countFields, flatten, get, joined, own, setAddress, setNum, setPort, setText, text, type Doc } from './read.ts';
import { docResult, type DocContext, type DocParser } from './types.ts';

const LOGS = new Set(['conn', 'dns', 'http', 'ssl', 'notice', 'files', 'x509', 'ssh', 'weird', 'dhcp', 'smtp', 'ftp', 'kerberos', 'rdp', 'smb_files', 'smb_mapping', 'ntlm', 'dce_rpc', 'software', 'intel']);
const MAPPED = new Set(['ts', 'uid', '_path', '_write_ts', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'id', 'proto']);
// Zeek notices carry no severity; they pass through at this priority (1 highest).
export const ZEEK_NOTICE_PRIORITY = 2;

export const zeekParser: DocParser = {
  name: 'zeek',
  hints: ['zeek', 'bro'],
  detect(doc, ctx) {
    if (typeof own(doc, '_path') === 'string' && own(doc, 'ts') !== undefined) return true;
    if (own(doc, 'uid') !== undefined && get(doc, 'id.orig_h') !== undefined) return true;
    if (own(doc, 'note') !== undefined && own(doc, 'ts') !== undefined) return true;
    return ctx.hintWords.some((w) => w === 'zeek' || w === 'bro') && own(doc, 'ts') !== undefined;
  },
  parse(doc, ctx) {
    const log = logName(doc, ctx);
    const fields: ParsedFields = { 'observer.product': 'Zeek', 'event.module': 'zeek' };
    if (log !== null) fields['event.dataset'] = `zeek.${log}`;
    setAddress(fields, 'source', get(doc, 'id.orig_h'));
    setPort(fields, 'source', get(doc, 'id.orig_p'));
    setAddress(fields, 'destination', get(doc, 'id.resp_h'));
    setPort(fields, 'destination', get(doc, 'id.resp_p'));
    const proto = text(own(doc, 'proto'));
    if (proto !== undefined) fields['network.transport'] = proto.toLowerCase();
    setText(fields, 'zeek.session_id', own(doc, 'uid'));
    let sourceType: SourceType = 'generic';
    let eventType: string | null = null;
    let message = `zeek ${log ?? 'log'}`;
    switch (log) {
      case 'conn':
        sourceType = 'firewall';
        eventType = 'network_flow';
        fields['event.category'] = 'network';
        setText(fields, 'network.protocol', own(doc, 'service'));
        setNum(fields, 'source.bytes', own(doc, 'orig_bytes'));
        setNum(fields, 'destination.bytes', own(doc, 'resp_bytes'));
        setNum(fields, 'source.packets', own(doc, 'orig_pkts'));
        setNum(fields, 'destination.packets', own(doc, 'resp_pkts'));
        setText(fields, 'event.action', own(doc, 'conn_state'));
        message = `conn ${fields['network.transport'] ?? ''} ${fields['source.ip'] ?? ''} -> ${fields['destination.ip'] ?? ''}:${fields['destination.port'] ?? ''}`;
        break;
      case 'dns':
        sourceType = 'dns';
        eventType = 'dns_query';
        setText(fields, 'dns.question.name', own(doc, 'query'));
        setText(fields, 'dns.question.type', own(doc, 'qtype_name') ?? own(doc, 'qtype'));
        setText(fields, 'dns.response_code', own(doc, 'rcode_name') ?? own(doc, 'rcode'));
        set(fields, 'dns.answers', joined(own(doc, 'answers')));
        setText(fields, 'dns.id', own(doc, 'trans_id'));
        message = `dns ${fields['dns.question.type'] ?? ''} ${fields['dns.question.name'] ?? ''}`;
        break;
      case 'http':
        sourceType = 'proxy';
        eventType = 'http_request';
        setText(fields, 'http.request.method', own(doc, 'method'));
        setText(fields, 'url.domain', own(doc, 'host'));
        setText(fields, 'url.original', own(doc, 'uri'));
        setNum(fields, 'http.response.status_code', own(doc, 'status_code'));
        setText(fields, 'user_agent.original', own(doc, 'user_agent'));
        setNum(fields, 'http.response.body.bytes', own(doc, 'response_body_len'));
        setNum(fields, 'http.request.body.bytes', own(doc, 'request_body_len'));
        setText(fields, 'http.request.referrer', own(doc, 'referrer'));
        setText(fields, 'http.version', own(doc, 'version'));
        setText(fields, 'user.name', own(doc, 'username'));
        message = `${fields['http.request.method'] ?? 'http'} ${fields['url.domain'] ?? ''}${fields['url.original'] ?? ''}`;
        break;
      case 'ssl':
        sourceType = 'proxy';
        eventType = 'tls_handshake';
        setText(fields, 'tls.server.name', own(doc, 'server_name'));
        setText(fields, 'tls.version', own(doc, 'version'));
        setText(fields, 'tls.cipher', own(doc, 'cipher'));
        setText(fields, 'tls.server.subject', own(doc, 'subject'));
        setText(fields, 'tls.server.issuer', own(doc, 'issuer'));
        setText(fields, 'tls.client.ja3', own(doc, 'ja3'));
        setText(fields, 'tls.server.ja3s', own(doc, 'ja3s'));
        setText(fields, 'tls.established', own(doc, 'established'));
        message = `tls ${fields['tls.server.name'] ?? ''}`.trim();
        break;
      case 'notice':
        sourceType = 'ids';
        eventType = 'ids_alert';
        fields['event.kind'] = 'alert';
        setText(fields, 'rule.name', own(doc, 'note'));
        setText(fields, 'rule.id', own(doc, 'note'));
        setText(fields, 'rule.description', own(doc, 'msg'));
        fields['ids.priority'] = ZEEK_NOTICE_PRIORITY;
        readNoticeCategory(fields);
        setAddress(fields, 'source', own(doc, 'src'));
        setAddress(fields, 'destination', own(doc, 'dst'));
        setPort(fields, 'destination', own(doc, 'p'));
        setText(fields, 'event.action', joined(own(doc, 'actions')));
        message = text(own(doc, 'msg')) ?? text(own(doc, 'note')) ?? message;
        break;
    }
    const prefix = log === null ? 'zeek' : `zeek.${log}`;
    flatten(fields, prefix, doc, ctx.maxFields - countFields(fields), MAPPED);
    return docResult({
      parser: 'zeek',
      source_type: sourceType,
      event_type: eventType,
      fields,
      timestampMs: readTimeValue(own(doc, 'ts'), ctx.zone),
      host: null,
      message: message.trim(),
    });
  },
};

function set(fields: ParsedFields, name: string, value: string | undefined): void {
  if (value !== undefined) fields[name] = value;
}

/** "Scan::Port_Scan" -> rule.category "Scan". */
function readNoticeCategory(fields: ParsedFields): void {
  const note = fields['rule.name'];
  if (typeof note !== 'string') return;
  const sep = note.indexOf('::');
  if (sep > 0) fields['rule.category'] = note.slice(0, sep);
}

/** _path ("conn", "dns"...; "conn_red" style suffixes of filtered logs keep their base), else the hint, else keys. */
function logName(doc: Doc, ctx: DocContext): string | null {
  const path = text(own(doc, '_path'));
  if (path !== undefined) {
    const lower = path.toLowerCase();
    if (LOGS.has(lower)) return lower;
    const cut = lower.indexOf('_');
    if (cut > 0 && LOGS.has(lower.slice(0, cut))) return lower.slice(0, cut);
    return lower.length <= 32 ? lower : null;
  }
  for (const word of ctx.hintWords) if (LOGS.has(word)) return word;
  if (own(doc, 'note') !== undefined) return 'notice';
  if (own(doc, 'conn_state') !== undefined || own(doc, 'history') !== undefined) return 'conn';
  if (own(doc, 'query') !== undefined || own(doc, 'qtype_name') !== undefined || own(doc, 'rcode_name') !== undefined) return 'dns';
  if (own(doc, 'method') !== undefined || own(doc, 'status_code') !== undefined || own(doc, 'uri') !== undefined) return 'http';
  if (own(doc, 'server_name') !== undefined || own(doc, 'cipher') !== undefined) return 'ssl';
  if (own(doc, 'duration') !== undefined && own(doc, 'proto') !== undefined) return 'conn';
  return null;
}
