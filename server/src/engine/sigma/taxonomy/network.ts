// Network logs: firewall and DNS categories (Sigma's generic names), and Zeek logs by their
// own keys. Our Zeek parser reads conn/dns/http/ssl into ECS names and keeps every key of a
// log under zeek.<log>.<key>, which is where an unmapped Zeek field is looked for.
import { lower, type TaxonomyModule } from './types.ts';

const NETWORK: Record<string, string> = {
  src_ip: 'source.ip',
  dst_ip: 'destination.ip',
  src_port: 'source.port',
  dst_port: 'destination.port',
  query: 'dns.question.name',
  answer: 'dns.answers',
  record_type: 'dns.question.type',
  action: 'event.action',
};

const ZEEK: Record<string, string> = {
  'id.orig_h': 'source.ip',
  'id.orig_p': 'source.port',
  'id.resp_h': 'destination.ip',
  'id.resp_p': 'destination.port',
  proto: 'network.transport',
  query: 'dns.question.name',
  qtype_name: 'dns.question.type',
  rcode_name: 'dns.response_code',
  answers: 'dns.answers',
  host: 'url.domain',
  uri: 'url.original',
  method: 'http.request.method',
  status_code: 'http.response.status_code',
  user_agent: 'user_agent.original',
  referrer: 'http.request.referrer',
  server_name: 'tls.server.name',
  ja3: 'tls.client.ja3',
  ja3s: 'tls.server.ja3s',
  uid: 'zeek.session_id',
};

export const zeekTaxonomy: TaxonomyModule = {
  name: 'zeek',
  applies: (ls) => lower(ls.product) === 'zeek',
  fields: () => ZEEK,
  fallback: (field, ls) => (ls.service ? `zeek.${lower(ls.service)}.${field}` : `fields.${field}`),
};

const NETWORK_CATEGORIES = new Set(['firewall', 'dns', 'network_connection']);

export const networkTaxonomy: TaxonomyModule = {
  name: 'network',
  applies: (ls) => NETWORK_CATEGORIES.has(lower(ls.category)),
  fields: () => NETWORK,
  fallback: (field) => `fields.${field}`,
};
