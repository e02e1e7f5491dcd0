// Structured JSON logs (pino). Query strings can carry a stream token, and headers carry
// credentials: neither is ever written to the log.
import pino from 'pino';
import type { Logger } from 'pino';

// Parameters whose value is a credential, matched on the decoded, lower-cased name, so a
// percent-encoded name (`%74oken=`) is redacted too even though it authenticates nothing.
const SECRET_PARAMS = new Set(['token', 'access_token', 'api_key', 'apikey', 'key', 'password']);

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).trim().toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const search = url.slice(q + 1, hash < 0 ? undefined : hash);
  const parts = search.split('&').map((part) => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    return eq >= 0 && SECRET_PARAMS.has(decodedName(name)) ? `${name}=[redacted]` : part;
  });
  // Any fragment is dropped: only the path and the (redacted) query are logged.
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'siem' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.password', '*.current_password'], censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url ?? ''), ip: req.ip }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  });
}
