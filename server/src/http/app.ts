// buildApp(deps): the Fastify instance with every plugin and route, not listening. Tests
// drive it with app.inject; main.ts listens. Routes exist once under /v1 and are reached
// under /api/v1 too by rewriting the URL, so the SPA works with or without a proxy.
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.ts';
import type { Config } from '../config.ts';
import type { Metrics } from '../metrics.ts';
import type { AuthService } from '../services/auth.ts';
import type { SetupService } from '../services/setup.ts';
import type { AlertService } from '../services/alerts.ts';
import type { TriageService } from '../services/triage.ts';
import type { CaseService } from '../services/cases.ts';
import type { DashboardService } from '../services/dashboard.ts';
import type { CorrelationHealth } from '../services/correlation-health.ts';
import type { DetectionService } from '../services/detection.ts';
import type { RuleService } from '../services/rules.ts';
import type { ListService } from '../services/lists.ts';
import type { RuleExceptionService } from '../services/rule-exceptions.ts';
import type { RuleImportService } from '../services/rule-import.ts';
import type { DefaultRulesService } from '../services/default-rules.ts';
import type { ScenarioService } from '../services/scenarios.ts';
import type { FeedHub } from '../services/feed-hub.ts';
import type { LiveClients } from '../services/live-clients.ts';
import type { Intake } from '../services/intake-types.ts';
import type { Sources } from '../services/sources.ts';
import type { IngestService } from '../services/ingest.ts';
import type { IngestAdmission } from '../services/ingest-admission.ts';
import type { LogService } from '../services/logs.ts';
import type { UserService } from '../services/users.ts';
import type { FieldService } from '../services/fields.ts';
import type { AddressEnrichmentService } from '../services/address-enrichment.ts';
import type { CoverageService } from '../services/coverage.ts';
import type { ClusterService } from '../services/cluster.ts';
import type { LogExportService } from '../services/log-export.ts';
import type { LogStatsService } from '../services/log-stats.ts';
import type { SavedSearchService } from '../services/saved-searches.ts';
import type { ChannelService } from '../services/notify/channels.ts';
import type { IntelService } from '../services/intel.ts';
import type { IntelMatcher } from '../services/intel-matcher.ts';
import type { Db } from '../store/db.ts';
import type { Authenticate } from './plugins/access.ts';
import { registerAccessGuard } from './plugins/access.ts';
import { registerAdmission } from './plugins/admission.ts';
import { registerContentEncoding } from './plugins/content-encoding.ts';
import { parseQueryString, registerBodyHandling } from './plugins/body.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerRateLimits } from './plugins/rate-limit.ts';
import type { WindowStore } from './plugins/rate-limit.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { correlationRoutes } from './routes/correlation.ts';
import { alertRoutes } from './routes/alerts.ts';
import { caseRoutes } from './routes/cases.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { ruleRoutes } from './routes/rules.ts';
import { listRoutes } from './routes/lists.ts';
import { ruleExceptionRoutes } from './routes/rule-exceptions.ts';
import { ruleImportRoutes } from './routes/rule-import.ts';
import { scenarioRoutes } from './routes/scenarios.ts';
import { logRoutes } from './routes/logs.ts';
import { opsRoutes } from './routes/ops.ts';
import { sourceRoutes } from './routes/sources.ts';
import { fieldRoutes } from './routes/fields.ts';
import { coverageRoutes } from './routes/coverage.ts';
import { clusterRoutes } from './routes/cluster.ts';
import { triageRoutes } from './routes/triage.ts';
import { enrichmentRoutes } from './routes/enrichment.ts';
import { queryRoutes } from './routes/query.ts';
import { searchToolRoutes } from './routes/search-tools.ts';
import { savedSearchRoutes } from './routes/saved-searches.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { intelRoutes } from './routes/intel.ts';

export interface AppDeps {
  defaultRules: DefaultRulesService;
  scenarios: ScenarioService;
  rules: RuleService;
  /** Shared lists rules reference with in_list. */
  lists: ListService;
  /** Rule exceptions added from an alert. */
  ruleExceptions: RuleExceptionService;
  /** Sigma import (POST /v1/rules/import). */
  ruleImport: RuleImportService;
  alerts: AlertService;
  /** Triage context of one alert (GET /v1/alerts/{id}/context). */
  triage: TriageService;
  /** Cases and alert assignment. */
  cases: CaseService;
  detection: DetectionService;
  correlationHealth: CorrelationHealth;
  config: Config;
  log: Logger;
  metrics: Metrics;
  db: Db;
  bus: Bus;
  hub: FeedHub;
  /** Open live feeds: admission bounds and the periodic token re-check. */
  liveClients: LiveClients;
  ingest: IngestService;
  /** Parses and stores what the inputs receive (raw text, syslog, shipper protocols). */
  intake: Intake;
  /** Every input's state and counters, for the Sources view and /metrics. */
  sources: Sources;
  /** Byte budget shared by ingest bodies in flight and the write queue. */
  admission: IngestAdmission;
  logs: LogService;
  dashboard: DashboardService;
  auth: AuthService;
  /** The first administrator, made with the one-time setup link. */
  setup: SetupService;
  users: UserService;
  /** Resolves a bearer token to the current user; every `user`/`admin` route runs it. */
  authenticate: Authenticate;
  /** Rate-limit counters: Redis-backed when REDIS_URL is set, in memory otherwise. */
  rateLimits: WindowStore;
  /** Field names seen in stored events (the rule editor's picker, unknown-field warnings). */
  fields: FieldService;
  /** ATT&CK techniques covered by rules, with their alerts. */
  coverage: CoverageService;
  /** The processes sharing correlation and their partitions (admin view). */
  cluster: ClusterService;
  /** One address's scope, geo, AS and indicators (GET /v1/enrichment/ip/{ip}). */
  addressEnrichment: AddressEnrichmentService;
  /** Log export (CSV, NDJSON), streamed. */
  logExport: LogExportService;
  /** Histogram and field statistics of a log filter's matches. */
  logStats: LogStatsService;
  /** Named log searches per account. */
  savedSearches: SavedSearchService;
  /** Alert notification channels and deliveries (admin). */
  notifications: ChannelService;
  /** Threat-intel indicator lists and imports. */
  intel: IntelService;
  /** This process's indicator index (lookups). */
  intelMatcher: IntelMatcher;
}

const API_PREFIX = /^\/api(?=\/v1(\/|\?|$))/;
const RESERVED = /^\/(v1|api|health|metrics|docs)(\/|\?|$)/;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.log,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: config.INGEST_BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200, querystringParser: parseQueryString },
    rewriteUrl: (req) => (req.url ?? '/').replace(API_PREFIX, ''),
    requestIdHeader: false,
  }) as unknown as FastifyInstance;

  // Live feeds never go idle: end them first so close() can finish.
  app.addHook('preClose', async () => deps.hub.close());
  registerErrorHandling(app);
  registerBodyHandling(app);

  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.httpRequests.inc({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode });
  });

  await app.register(cors, { origin: config.CORS_ORIGINS, credentials: false, methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // The SIEM is often served over plain HTTP on a LAN address; forcing https would break it.
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });

  // Before the access guard: the order of checks puts the 429 ahead of the 401.
  await registerRateLimits(app, { config, store: deps.rateLimits });
  registerAccessGuard(app, { ingestKeys: config.INGEST_API_KEYS, authenticate: deps.authenticate });
  // After the guard (401 first), before any body is read.
  registerAdmission(app, deps.admission);
  // After admission (which counts the bytes on the wire): gzip/deflate ingest bodies.
  registerContentEncoding(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'SIEM API', version: '1.0.0', description: 'HTTP API of the SIEM. Conventions: docs/api.md; error codes: docs/errors.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });

  opsRoutes(app, deps);
  authRoutes(app, deps);
  adminRoutes(app, deps);
  logRoutes(app, deps);
  dashboardRoutes(app, deps);
  ruleRoutes(app, deps);
  ruleExceptionRoutes(app, deps);
  listRoutes(app, deps);
  await ruleImportRoutes(app, deps);
  correlationRoutes(app, deps);
  alertRoutes(app, deps);
  caseRoutes(app, deps);
  scenarioRoutes(app, deps);
  sourceRoutes(app, deps);
  fieldRoutes(app, deps);
  coverageRoutes(app, deps);
  clusterRoutes(app, deps);
  triageRoutes(app, deps);
  enrichmentRoutes(app, deps);
  queryRoutes(app);
  searchToolRoutes(app, deps);
  savedSearchRoutes(app, deps);
  notificationRoutes(app, deps);
  intelRoutes(app, { intel: deps.intel, intelMatcher: deps.intelMatcher, importMaxBytes: config.INTEL_IMPORT_MAX_BYTES });

  await registerWebApp(app, config.WEB_DIST_DIR);
  return app;
}

/** Serves the built SPA (index.html for client-side routes) or a placeholder page. */
async function registerWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  const index = path.join(distDir, 'index.html');
  const hasBuild = fs.existsSync(index);
  if (hasBuild) {
    await app.register(fastifyStatic, { root: distDir, prefix: '/', wildcard: false, index: false });
  }
  const page = () =>
    hasBuild
      ? fs.readFileSync(index, 'utf8')
      : '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SIEM</title></head>' +
        '<body><h1>SIEM</h1><p>The API is running. The web app is not built yet: run <code>npm run build -w web</code>.</p>' +
        '<p><a href="/docs">API documentation</a></p></body></html>';
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(page()));
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    // API paths fall through to the 404/405 answer; only browser navigations get the app.
    if (RESERVED.test(req.url) || !String(req.headers.accept ?? '').includes('text/html')) return reply.callNotFound();
    return reply.type('text/html; charset=utf-8').send(page());
  });
}
