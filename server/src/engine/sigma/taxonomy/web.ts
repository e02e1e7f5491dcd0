// Web server and proxy logs (W3C/IIS-style Sigma names): our access-log, Suricata, Zeek and
// ECS parsers all fill the same http.* / url.* names. The query and stem of a URL are not
// split by our parsers: both map to url.original, which holds path and query.
import { lower, type TaxonomyModule } from './types.ts';

const URL_PARTS = ['c-uri', 'cs-uri', 'cs-uri-stem', 'cs-uri-query', 'c-uri-query', 'c-uri-stem', 'c-uri-extension', 'uri', 'url'];

const WEB: Record<string, string> = {
  ...Object.fromEntries(URL_PARTS.map((f) => [f, 'url.original'])),
  'cs-method': 'http.request.method',
  'sc-status': 'http.response.status_code',
  'c-useragent': 'user_agent.original',
  'cs-user-agent': 'user_agent.original',
  'cs-useragent': 'user_agent.original',
  'cs-referer': 'http.request.referrer',
  'cs-referrer': 'http.request.referrer',
  'c-ip': 'source.ip',
  clientip: 'source.ip',
  'cs-host': 'url.domain',
  'r-dns': 'url.domain',
  'cs-uri-host': 'url.domain',
  'sc-bytes': 'http.response.body.bytes',
  'cs-bytes': 'http.request.body.bytes',
  'cs-username': 'user.name',
  'cs-version': 'http.version',
  's-ip': 'destination.ip',
  'dst_ip': 'destination.ip',
  'src_ip': 'source.ip',
  's-port': 'destination.port',
};

const WEB_CATEGORIES = new Set(['webserver', 'proxy']);
const WEB_PRODUCTS = new Set(['apache', 'nginx', 'iis']);

export const webTaxonomy: TaxonomyModule = {
  name: 'web',
  applies: (ls) => WEB_CATEGORIES.has(lower(ls.category)) || WEB_PRODUCTS.has(lower(ls.product)),
  fields: () => WEB,
  fallback: (field) => `fields.${field}`,
};

/** URL parts whose equality or prefix match differs on url.original (path and query together). */
export const URL_PART_FIELDS: ReadonlySet<string> = new Set(['cs-uri-query', 'c-uri-query', 'c-uri-extension']);
