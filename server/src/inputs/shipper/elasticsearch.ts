// The Elasticsearch-compatible routes: the handshake the shippers perform (root document,
// licence, features, health, nodes, templates, ILM policies, pipelines, data streams,
// index existence) and _bulk with per-item results in Elasticsearch's shape. Items are
// answered as created only once the intake has persisted them; a full write queue throws
// the 503 the listener's error handler turns into Elasticsearch's 429.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IntakeDocument, IntakeOutcome } from '../../services/intake-types.ts';
import { parseBulk } from './bulk.ts';
import type { BulkOp } from './bulk.ts';
import type { ShipperContext } from './context.ts';
import { catHealth, clusterHealthBody, esError, licenseBody, nodesBody, rootDocument, xpackBody } from './es-bodies.ts';

const SHARDS = { total: 1, successful: 1, failed: 0 } as const;
const ES = { shipper: 'elasticsearch' } as const;

/** Elasticsearch-like 20-character ids: a random prefix per request and a counter. */
function idMaker(): () => string {
  const prefix = randomBytes(9).toString('base64url');
  let n = 0;
  return () => prefix + (n++).toString(36).padStart(8, '0');
}

type Params = Record<string, string>;
const param = (req: FastifyRequest, name: string) => (req.params as Params)[name] ?? '';

export function elasticsearchRoutes(app: FastifyInstance, ctx: ShipperContext): void {
  let seqNo = 0;
  const input = ctx.inputs.elasticsearch;

  // ---- handshake --------------------------------------------------------------------
  app.get('/', { config: ES }, async () => rootDocument(ctx.identity()));
  app.get('/_license', { config: ES }, async () => licenseBody(ctx.identity()));
  app.get('/_xpack', { config: ES }, async () => xpackBody(ctx.identity()));
  app.get('/_cluster/health', { config: ES }, async () => clusterHealthBody());
  app.get('/_cluster/health/:index', { config: ES }, async () => clusterHealthBody());
  app.get('/_nodes', { config: ES }, async () => nodesBody(ctx.identity()));
  app.get('/_nodes/*', { config: ES }, async () => nodesBody(ctx.identity()));
  app.get('/_security/_authenticate', { config: ES }, async () => ({ username: 'shipper', roles: ['ingest'], enabled: true, authentication_type: 'realm' }));
  app.get('/_cat/health', { config: ES }, async (req, reply) => {
    const json = (req.query as Params).format === 'json';
    return reply.type(json ? 'application/json; charset=UTF-8' : 'text/plain; charset=UTF-8').send(json ? JSON.stringify(catHealth(ctx.clock(), true)) : catHealth(ctx.clock(), false));
  });
  app.get('/_cat/*', { config: ES }, async (req, reply) =>
    (req.query as Params).format === 'json' ? reply.send([]) : reply.type('text/plain; charset=UTF-8').send(''),
  );

  // Templates, policies, pipelines, data streams and aliases all "exist" and every change
  // to them is acknowledged: the shippers then skip loading them, or load and move on.
  const named: Record<string, (name: string) => unknown> = {
    '/_template/:name': (name) => ({ [name]: { order: 0, index_patterns: [`${name}-*`], settings: {}, mappings: {}, aliases: {} } }),
    '/_index_template/:name': (name) => ({ index_templates: [{ name, index_template: { index_patterns: [`${name}-*`], template: {}, composed_of: [], data_stream: {} } }] }),
    '/_component_template/:name': (name) => ({ component_templates: [{ name, component_template: { template: {} } }] }),
    '/_ilm/policy/:name': (name) => ({ [name]: { version: 1, modified_date: new Date(ctx.clock()).toISOString(), policy: { phases: { hot: { min_age: '0ms', actions: {} } } } } }),
    '/_ingest/pipeline/:name': (name) => ({ [name]: { description: 'accepted and ignored by the SIEM', processors: [] } }),
    '/_data_stream/:name': (name) => ({ data_streams: [{ name, timestamp_field: { name: '@timestamp' }, indices: [], generation: 1, status: 'GREEN', template: name, hidden: false, system: false }] }),
    '/_alias/:name': (name) => ({ [name]: { aliases: { [name]: { is_write_index: true } } } }),
  };
  for (const [url, body] of Object.entries(named)) {
    app.get(url, { config: ES }, async (req) => body(param(req, 'name')));
    app.route({ method: ['PUT', 'POST', 'DELETE'], url, config: ES, handler: async () => ({ acknowledged: true }) });
  }
  app.get('/:index', { config: ES }, async (req) => ({
    [param(req, 'index')]: { aliases: {}, mappings: {}, settings: { index: { number_of_shards: '1', number_of_replicas: '0' } } },
  }));
  app.put('/:index', { config: ES }, async (req) => ({ acknowledged: true, shards_acknowledged: true, index: param(req, 'index') }));
  for (const url of ['/:index/_mapping', '/:index/_settings', '/_settings', '/_cluster/settings']) {
    app.put(url, { config: ES }, async () => ({ acknowledged: true }));
  }

  // ---- writes -----------------------------------------------------------------------
  const ingest = { ...ES, admission: { events: ctx.maxItems } };

  async function store(req: FastifyRequest, docs: IntakeDocument[]): Promise<IntakeOutcome> {
    if (docs.length === 0) return { accepted: 0, rejected: 0, errors: [], duplicates: [] };
    return ctx.intake.documents(docs, { input: 'elasticsearch', peer: req.socket.remoteAddress ?? null, bytes: req.bodyBytes ?? 0 });
  }

  /** A document an earlier delivery stored (same `_id` or event.id) is acknowledged as a no-op. */
  function itemOf(op: BulkOp, id: string, refusal: string | undefined, duplicate = false) {
    const index = op.index ?? '';
    const error = op.error ?? (refusal !== undefined ? { type: 'mapper_parsing_exception', reason: refusal } : null);
    if (error) return { [op.action]: { _index: index, _id: id, status: 400, error: { ...error, index } } };
    if (op.action === 'update') {
      return { update: { _index: index, _id: id, status: 400, error: { type: 'illegal_argument_exception', reason: 'updates are not supported: the SIEM stores events as they arrive', index } } };
    }
    const base = { _index: index, _id: id, _version: 1, _shards: SHARDS, _seq_no: seqNo++, _primary_term: 1 };
    // Nothing is ever deleted; a delete is answered as Elasticsearch answers one for a missing document.
    if (op.action === 'delete') return { delete: { ...base, result: 'not_found', status: 404 } };
    if (duplicate) return { [op.action]: { ...base, result: 'noop', status: 200 } };
    return { [op.action]: { ...base, result: 'created', status: 201 } };
  }

  async function bulk(req: FastifyRequest, reply: FastifyReply) {
    const started = ctx.clock();
    input.bytes(req.bodyBytes ?? 0);
    const parsed = parseBulk(typeof req.body === 'string' ? req.body : '', { pathIndex: param(req, 'index') || null, maxItems: ctx.maxItems });
    if (!parsed.ok) {
      input.dropped('bad_request');
      return reply.code(parsed.status).send(esError(parsed.status, parsed.type, parsed.reason));
    }
    const docs: IntakeDocument[] = [];
    const opOfDoc: number[] = [];
    parsed.ops.forEach((op, n) => {
      if (op.doc && !op.error && (op.action === 'index' || op.action === 'create')) {
        docs.push({ doc: op.doc, index: op.index, id: op.id });
        opOfDoc.push(n);
      }
    });
    const outcome = await store(req, docs);
    const refused = new Map(outcome.errors.map((e) => [opOfDoc[e.index]!, e.message]));
    const repeated = new Set(outcome.duplicates.map((i) => opOfDoc[i]!));
    const newId = idMaker();
    const items = parsed.ops.map((op, n) => itemOf(op, op.id ?? newId(), refused.get(n), repeated.has(n)));
    const failed = items.filter((item) => 'error' in Object.values(item)[0]!).length;
    if (failed > 0) input.dropped('bad_request', failed);
    return reply.send({ took: Math.max(0, ctx.clock() - started), errors: failed > 0, items });
  }
  app.route({ method: ['POST', 'PUT'], url: '/_bulk', config: ingest, handler: bulk });
  app.route({ method: ['POST', 'PUT'], url: '/:index/_bulk', config: ingest, handler: bulk });

  /** One document: `POST /<index>/_doc`, `PUT /<index>/_doc/<id>`, `PUT /<index>/_create/<id>`. */
  async function single(req: FastifyRequest, reply: FastifyReply) {
    input.bytes(req.bodyBytes ?? 0);
    const body = req.body;
    const action = req.url.includes('/_create') ? 'create' : 'index';
    const op: BulkOp = { action, index: param(req, 'index'), id: param(req, 'id') || null, doc: null, error: null };
    let parsedDoc: unknown = null;
    try {
      parsedDoc = typeof body === 'string' ? JSON.parse(body) : null;
    } catch {
      parsedDoc = null;
    }
    if (parsedDoc === null || typeof parsedDoc !== 'object' || Array.isArray(parsedDoc)) {
      input.dropped('bad_request');
      return reply.code(400).send(esError(400, 'mapper_parsing_exception', 'failed to parse: the document is not a JSON object'));
    }
    op.doc = parsedDoc as Record<string, unknown>;
    const outcome = await store(req, [{ doc: op.doc, index: op.index, id: op.id }]);
    const refusal = outcome.errors[0]?.message;
    if (refusal !== undefined) {
      input.dropped('bad_request');
      return reply.code(400).send(esError(400, 'mapper_parsing_exception', refusal));
    }
    const duplicate = outcome.duplicates.length > 0;
    return reply.code(duplicate ? 200 : 201).send(Object.values(itemOf(op, op.id ?? idMaker()(), undefined, duplicate))[0]);
  }
  const one = { ...ES, admission: { events: 1 } };
  app.post('/:index/_doc', { config: one }, single);
  app.route({ method: ['POST', 'PUT'], url: '/:index/_doc/:id', config: one, handler: single });
  app.route({ method: ['POST', 'PUT'], url: '/:index/_create/:id', config: one, handler: single });
}
