// Splunk HTTP Event Collector routes: events (`/services/collector`, `/event`, `/event/1.0`),
// raw text (`/raw`, one event per line, `?sourcetype=&host=`), and health. Answers
// `{"text":"Success","code":0}` once the events are persisted; HEC's codes otherwise.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ShipperContext } from './context.ts';
import { parseHecEvents, rawLines } from './hec-parse.ts';

export const HEC = { shipper: 'hec' } as const;

export const hecAnswer = (reply: FastifyReply, status: number, text: string, code: number, extra: Record<string, unknown> = {}) =>
  reply.code(status).send({ text, code, ...extra });

export function hecRoutes(app: FastifyInstance, ctx: ShipperContext): void {
  const input = ctx.inputs.hec;
  const ingest = { ...HEC, admission: { events: ctx.maxItems } };
  const peer = (req: FastifyRequest) => req.socket.remoteAddress ?? null;
  const body = (req: FastifyRequest) => (typeof req.body === 'string' ? req.body : '');

  async function events(req: FastifyRequest, reply: FastifyReply) {
    input.bytes(req.bodyBytes ?? 0);
    const parsed = parseHecEvents(body(req), ctx.maxItems);
    if (!parsed.ok) {
      input.dropped('bad_request');
      return hecAnswer(reply, parsed.status, parsed.text, parsed.code, parsed.invalidEvent === undefined ? {} : { 'invalid-event-number': parsed.invalidEvent });
    }
    const outcome = await ctx.intake.documents(parsed.docs, { input: 'hec', peer: peer(req), bytes: req.bodyBytes ?? 0 });
    // HEC has no per-event answer: what the intake could not store is counted, as Splunk drops it.
    if (outcome.rejected > 0) input.dropped('bad_request', outcome.rejected);
    return hecAnswer(reply, 200, 'Success', 0);
  }
  for (const url of ['/services/collector', '/services/collector/event', '/services/collector/event/1.0']) {
    app.post(url, { config: ingest }, events);
  }

  async function raw(req: FastifyRequest, reply: FastifyReply) {
    input.bytes(req.bodyBytes ?? 0);
    const lines = rawLines(body(req), ctx.maxItems);
    if (lines === null) {
      input.dropped('bad_request');
      return hecAnswer(reply, 413, `Too many events in one request (at most ${ctx.maxItems})`, 6);
    }
    if (lines.length === 0) return hecAnswer(reply, 400, 'No data', 5);
    const query = req.query as Record<string, string | undefined>;
    const hint = { format: query.sourcetype || null, host: query.host || null };
    const outcome = await ctx.intake.lines(lines, { input: 'hec', peer: peer(req), bytes: req.bodyBytes ?? 0, hint });
    if (outcome.rejected > 0) input.dropped('bad_request', outcome.rejected);
    return hecAnswer(reply, 200, 'Success', 0);
  }
  for (const url of ['/services/collector/raw', '/services/collector/raw/1.0']) {
    app.post(url, { config: ingest }, raw);
  }

  const health = async (_req: FastifyRequest, reply: FastifyReply) =>
    ctx.intake.hasRoom() ? hecAnswer(reply, 200, 'HEC is healthy', 17) : hecAnswer(reply, 503, 'HEC is unhealthy, queues are full', 18);
  for (const url of ['/services/collector/health', '/services/collector/health/1.0']) {
    app.get(url, { config: { ...HEC, open: true } }, health);
  }
}
