// Structured JSON logs (pino). Query strings can carry a stream token, and headers carry
// credentials: neither is ever written to the log.
import pino from 'pino';
import type { Logger } from 'pino';

const redactUrl = (url: string) => url.replace(/([?&](token|api_key)=)[^&#]*/gi, '$1[redacted]');

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
