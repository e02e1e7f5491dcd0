// Wiring of the whole server, shared by main.ts and the tests: ordered start steps
// (openStore -> migrate -> startBus -> services -> app) and a teardown list that always
// runs in reverse, flushing the write queue before the store closes.
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Bus } from './bus/bus.ts';
import { createMemoryBus } from './bus/memory-bus.ts';
import { createRedisBus } from './bus/redis-bus.ts';
import { publicUrl, type Config } from './config.ts';
import { buildApp } from './http/app.ts';
import type { AppDeps } from './http/app.ts';
import { connectLimiterRedis, createMemoryWindowStore, createRedisWindowStore } from './http/plugins/rate-limit.ts';
import { createMetrics } from './metrics.ts';
import { createAuthService } from './services/auth.ts';
import { createSetupService } from './services/setup.ts';
import { createAlertService } from './services/alerts.ts';
import { createTriageService } from './services/triage.ts';
import { createCaseService } from './services/cases.ts';
import { createDashboardService } from './services/dashboard.ts';
import { createDetectionService } from './services/detection.ts';
import { createRuleService } from './services/rules.ts';
import { createListService } from './services/lists.ts';
import { createRuleExceptionService } from './services/rule-exceptions.ts';
import { createListsRepo } from './store/lists-repo.ts';
import { createRuleImportService } from './services/rule-import.ts';
import { createScenarioService } from './services/scenarios.ts';
import { createDefaultRulesService } from './services/default-rules.ts';
import { createAppStateRepo } from './store/app-state-repo.ts';
import { createScenarioRunsRepo } from './store/scenario-runs-repo.ts';
import { createAlertsRepo } from './store/alerts-repo.ts';
import { createTriageRepo } from './store/triage-repo.ts';
import { createCaseItemsRepo } from './store/case-items-repo.ts';
import { createCasesRepo } from './store/cases-repo.ts';
import { createRulesRepo } from './store/rules-repo.ts';
import { createRuleAuditRepo } from './store/rule-audit-repo.ts';
import { newObjectId } from './lib/object-id.ts';
import { createOutboxDrain } from './services/bus-outbox.ts';
import { createCorrelationHealth } from './services/correlation-health.ts';
import { createMembership, MEMBER_TTL_MS } from './services/correlation-membership.ts';
import { createMembersRepo } from './store/members-repo.ts';
import { createCorrelationRuleStats } from './services/correlation-rules.ts';
import { createControlChannel } from './services/control.ts';
import { createEventWriter } from './services/event-writer.ts';
import { createEnrichment } from './services/enrichment.ts';
import { createGeoIp } from './services/geoip.ts';
import { createGeoIpEnricher } from './services/geoip-enricher.ts';
import { createAddressEnrichmentService, createAddressFacts } from './services/address-enrichment.ts';
import { createIntelMatcher } from './services/intel-matcher.ts';
import { createIntelService } from './services/intel.ts';
import { createIntelWatch } from './services/intel-watch.ts';
import { createIntelRepo } from './store/intel-repo.ts';
import { createDedupPruner } from './services/event-dedup.ts';
import { createDedupRepo } from './store/dedup-repo.ts';
import { createIngestAdmission } from './services/ingest-admission.ts';
import { createCorrelationRepo } from './store/correlation-repo.ts';
import { createOutboxRepo } from './store/outbox-repo.ts';
import { createFeedHub } from './services/feed-hub.ts';
import { createLiveClients } from './services/live-clients.ts';
import { createIngestService } from './services/ingest.ts';
import { createIntakeService } from './services/intake.ts';
import { createSources } from './services/sources.ts';
import { startSyslogInputs } from './inputs/syslog/index.ts';
import { DEFAULT_MAX_LINE_LENGTH } from './engine/parse/index.ts';
import { createLogService } from './services/logs.ts';
import { createLogExportService } from './services/log-export.ts';
import { createLogStatsService } from './services/log-stats.ts';
import { createSavedSearchService } from './services/saved-searches.ts';
import { createBoundedRead } from './services/search-bounded.ts';
import { createEventsToolsRepo } from './store/events-tools-repo.ts';
import { createSavedSearchesRepo } from './store/saved-searches-repo.ts';
import { createPasswordHasher } from './services/passwords.ts';
import { createTokenService } from './services/tokens.ts';
import { loadSecret } from './services/secret.ts';
import { createUserService } from './services/users.ts';
import { openDb } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { createEventsRepo } from './store/events-repo.ts';
import { createRollupsRepo } from './store/rollups-repo.ts';
import { createPartitionsRepo } from './store/partitions-repo.ts';
import { createRetentionService } from './services/retention.ts';
import { createUsersRepo } from './store/users-repo.ts';
import { createFieldsRepo } from './store/fields-repo.ts';
import { createCoverageRepo } from './store/coverage-repo.ts';
import { createFieldService } from './services/fields.ts';
import { createCoverageService } from './services/coverage.ts';
import { createClusterService } from './services/cluster.ts';
import { createClusterRepo } from './store/cluster-repo.ts';
import { CORRELATION_PARTITIONS } from './engine/correlation/partition.ts';
import { startShipperListener } from './inputs/shipper/index.ts';
import type { ShipperListener } from './inputs/shipper/index.ts';
import { createNotifications } from './services/notify/index.ts';

/** Logged at start while no active admin exists: the exact bootstrap command. */
export const CREATE_ADMIN_HINT = 'npm run admin -- create --username <name> --email <address>';

/** Logged at start when migration 013 could not create the search index (no pg_trgm). */
export const SEARCH_INDEX_HINT =
  'log search has no index (the pg_trgm extension could not be created): searches scan the table and ' +
  'may time out on large stores. Have a superuser run CREATE EXTENSION pg_trgm; in this database, then see ' +
  'docs/operations.md "Search at scale" for the index statement';

export interface System {
  app: FastifyInstance;
  deps: AppDeps;
  /** The Elasticsearch _bulk / Splunk HEC listener (SHIPPER_PORT). */
  shipper: ShipperListener;
  stop(): Promise<void>;
}

export async function startBus(config: Config): Promise<Bus> {
  const opts = { maxLen: config.STREAM_MAXLEN };
  if (!config.REDIS_URL) return createMemoryBus(opts);
  const bus = await createRedisBus(config.REDIS_URL, { ...opts, prefix: config.REDIS_PREFIX });
  try {
    await bus.ping();
  } catch (err) {
    await bus.close().catch(() => {});
    const where = config.REDIS_URL.replace(/\/\/[^@/]*@/, '//');
    throw new Error(`Redis at ${where} is not answering (${(err as Error).message}): start it, or unset REDIS_URL to use the in-process bus`);
  }
  return bus;
}

/** Longest write transaction aimed at on PGlite, where every other query waits for it. */
const PGLITE_BATCH_TARGET_MS = 50;
/** Pool connections a PostgreSQL server store keeps for everything but ingest writes. */
const RESERVED_CONNECTIONS = 2;

/**
 * Batches written at once. 0 = automatic: PGlite runs one transaction at a time, a server
 * takes a few. Either way, writers never take the whole pool: health, login and triage
 * keep connections of their own while ingest is saturated.
 */
export function writerConcurrency(config: Pick<Config, 'INGEST_WRITERS' | 'DATABASE_POOL_SIZE'>, kind: 'pglite' | 'postgres'): number {
  if (kind === 'pglite') return 1;
  const wanted = config.INGEST_WRITERS || 3;
  return Math.max(1, Math.min(wanted, config.DATABASE_POOL_SIZE - RESERVED_CONNECTIONS));
}

export interface SystemOptions {
  defaultMetrics?: boolean;
  /** Run the correlation engine in this process (default true). */
  detection?: boolean;
  /**
   * Load the GeoIP database while starting (main.ts) rather than at the first public
   * address; tests leave it lazy so only those that meet a public address pay the load.
   */
  preloadGeoIp?: boolean;
}

export async function createSystem(config: Config, log: Logger, opts: SystemOptions = {}): Promise<System> {
  const teardown: { name: string; run: () => Promise<void> | void }[] = [];
  const stop = async () => {
    for (const step of teardown.reverse()) {
      try {
        await step.run();
      } catch (err) {
        log.error({ err, step: step.name }, 'teardown step failed');
      }
    }
    teardown.length = 0;
  };
  try {
    const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, schema: config.DATABASE_SCHEMA, poolSize: config.DATABASE_POOL_SIZE, connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS, boundedPoolSize: config.SEARCH_MAX_CONCURRENT });
    teardown.push({ name: 'store', run: () => db.close() });
    const applied = await migrate(db);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');

    const usersRepo = createUsersRepo(db);
    const passwords = createPasswordHasher();
    const appState = createAppStateRepo(db);
    const { secret, source } = await loadSecret({ configured: config.SECRET_KEY, databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, appState });
    if (source === 'file' || source === 'database') log.info({ source }, 'SECRET_KEY is not set: signing tokens with the secret generated at first start');
    const tokens = createTokenService({ secret, expirationHours: config.JWT_EXPIRATION_HOURS });
    const auth = createAuthService({ users: usersRepo, passwords, tokens, log, registrationEnabled: config.REGISTRATION_ENABLED });
    const users = createUserService({ db, users: usersRepo, passwords });
    const lookAlikes = await users.backfillSkeletons();
    if (lookAlikes.length > 0) {
      log.warn({ usernames: lookAlikes }, 'these accounts look like older ones (confusable usernames): rename or remove them');
    }
    const setup = createSetupService({ db, users: usersRepo, appState, passwords, tokens });
    const setupToken = await setup.begin();
    if (setupToken !== null) {
      const link = `${publicUrl(config)}/setup#token=${setupToken}`;
      log.warn({ setup_link: link }, `No administrator yet. Open ${link} to create the first one (the link works once), or run: ${CREATE_ADMIN_HINT}`);
    }

    const bus = await startBus(config);
    teardown.push({ name: 'bus', run: () => bus.close() });

    let rateLimits = createMemoryWindowStore();
    if (config.REDIS_URL) {
      const redis = await connectLimiterRedis(config.REDIS_URL, (err) =>
        log.warn({ err }, 'rate-limit store unreachable: requests pass unlimited until it is back'),
      );
      teardown.push({ name: 'rate-limit store', run: () => void redis.disconnect() });
      rateLimits = createRedisWindowStore(redis, `${config.REDIS_PREFIX}ratelimit:`);
    }

    const metrics = createMetrics({ defaultMetrics: opts.defaultMetrics ?? false });
    // Before the writer: today's partition exists when the first batch lands.
    const retention = createRetentionService({ partitions: createPartitionsRepo(db), log, retentionDays: config.RETENTION_DAYS });
    await retention.start();
    teardown.push({ name: 'retention', run: () => retention.stop() });
    const events = createEventsRepo(db);
    if (!(await events.searchIndexed())) log.warn(SEARCH_INDEX_HINT);
    const rollups = createRollupsRepo(db);
    const outbox = createOutboxRepo(db);
    const correlationRepo = createCorrelationRepo(db);
    const dedup = createDedupRepo(db);
    // Threat intel: the indicator index is built before the first event is written.
    const intelRepo = createIntelRepo(db);
    const intelMatcher = createIntelMatcher({ repo: intelRepo, log, maxLoaded: config.INTEL_MAX_LOADED, reloadMs: config.INTEL_RELOAD_SECONDS * 1000 });
    await intelMatcher.start();
    teardown.push({ name: 'threat-intel index', run: () => intelMatcher.stop() });
    // Enrichment steps (GeoIP, threat intel) are appended here; each adds to `fields`.
    const geoip = createGeoIp({ enabled: config.GEOIP_ENABLED, log });
    if (opts.preloadGeoIp) geoip.load();
    const addressFacts = createAddressFacts({ geoip });
    const enrichment = createEnrichment([createGeoIpEnricher({ facts: addressFacts }), intelMatcher.enricher], (step, err) => log.error({ err, step }, 'enrichment step failed; events stored without it'));
    const writer = createEventWriter({
      db, events, rollups, bus, outbox, metrics, log,
      enrich: enrichment.enrich,
      dedup: {
        repo: dedup,
        settings: { idHorizonMs: config.DEDUP_ID_HORIZON_SECONDS * 1000, hashHorizonMs: config.DEDUP_HASH_HORIZON_SECONDS * 1000 },
      },
      batchMax: config.INGEST_BATCH_MAX,
      delayMs: config.INGEST_BATCH_DELAY_MS,
      queueMax: config.INGEST_QUEUE_MAX,
      queueMaxBytes: config.INGEST_QUEUE_MAX_BYTES,
      concurrency: writerConcurrency(config, db.kind),
      // PGlite serves one query at a time on the main thread: short transactions let
      // health checks and triage queries in between. A server store runs them side by side.
      batchTargetMs: db.kind === 'pglite' ? PGLITE_BATCH_TARGET_MS : 0,
    });
    const admission = createIngestAdmission({ load: writer.load, refusal: writer.backpressure, metrics });
    teardown.push({ name: 'writer', run: () => writer.close() });
    const dedupPruner = createDedupPruner({ dedup, log });
    dedupPruner.start();
    teardown.push({ name: 'dedup pruning', run: () => dedupPruner.stop() });
    const hub = createFeedHub({ bus, log, replayMax: config.SSE_REPLAY_MAX });
    teardown.push({ name: 'feeds', run: () => hub.close() });
    const liveClients = createLiveClients({
      maxPerUser: config.SSE_MAX_PER_USER,
      maxTotal: config.SSE_MAX_TOTAL,
      recheckMs: config.SSE_RECHECK_SECONDS * 1000,
      authenticate: auth.authenticate,
      log,
    });
    teardown.push({ name: 'live-feed checks', run: () => liveClients.close() });

    // One reader of the control stream per process; services register their handlers on it.
    const control = createControlChannel({ bus, log, metrics });
    control.start();
    teardown.push({ name: 'control channel', run: () => control.stop() });
    intelMatcher.listen(control);
    const intelWatchRef: { refresh?: () => Promise<void> } = {};
    const intel = createIntelService({
      repo: intelRepo, log, control,
      onChange: () => intelMatcher.reload(),
      onIndicatorChange: (version, change) => intelMatcher.applyChange(version, change),
      onWatchChange: () => void intelWatchRef.refresh?.(),
      limits: { maxImportIndicators: config.INTEL_IMPORT_MAX_INDICATORS, watchRoot: config.INTEL_WATCH_ROOT },
    });
    const intelWatch = createIntelWatch({
      repo: intelRepo, intel, log, root: config.INTEL_WATCH_ROOT,
      pollMs: config.INTEL_WATCH_POLL_SECONDS * 1000, maxFiles: config.INTEL_WATCH_MAX_FILES, maxBytes: config.INTEL_IMPORT_MAX_BYTES,
    });
    intelWatchRef.refresh = intelWatch.refresh;
    if (config.INTEL_WATCH_ROOT) {
      intelWatch.start();
      teardown.push({ name: 'threat-intel watch', run: () => intelWatch.stop() });
    }
    const intelPrune = setInterval(() => void intel.pruneExpired(config.INTEL_EXPIRED_KEEP_DAYS * 86_400_000).catch((err: unknown) => log.warn({ err }, 'pruning expired indicators failed')), 3_600_000);
    intelPrune.unref();
    teardown.push({ name: 'threat-intel pruning', run: () => clearInterval(intelPrune) });
    const consumer = `${os.hostname()}-${process.pid}-${newObjectId().slice(-6)}`;
    const membersRepo = createMembersRepo(db);
    const ruleStats = createCorrelationRuleStats({ metrics, log, appState, consumer, liveMembers: () => membersRepo.alive(MEMBER_TTL_MS) });
    ruleStats.start();
    teardown.push({ name: 'correlation rule figures', run: () => ruleStats.stop() });

    const rulesRepo = createRulesRepo(db);
    const alertsRepo = createAlertsRepo(db);
    const outboxDrain = createOutboxDrain({ db, bus, outbox, events: correlationRepo, alerts: alertsRepo, metrics, log });
    outboxDrain.start();
    teardown.push({ name: 'outbox', run: () => outboxDrain.stop() });
    const listsRepo = createListsRepo(db);
    const clusterRepo = createClusterRepo(db);
    const membership = createMembership({ members: membersRepo, pruneMembers: (ms) => clusterRepo.pruneMembers(ms), correlation: correlationRepo, consumer, host: os.hostname(), pid: process.pid, log });
    const detection = createDetectionService({
      db, bus, rules: rulesRepo, lists: () => listsRepo.contents(), alerts: alertsRepo, correlation: correlationRepo, outbox, metrics, log,
      cooldownMs: config.CORRELATION_COOLDOWN_SECONDS * 1000,
      maxMatchedIds: config.CORRELATION_MAX_MATCHED_IDS,
      reloadMs: config.CORRELATION_RULE_CACHE_SECONDS * 1000,
      control,
      ruleStats,
      batchSize: config.CORRELATION_BATCH_SIZE,
      replayMax: config.CORRELATION_REPLAY_MAX_EVENTS,
      maxLatenessMs: config.CORRELATION_MAX_LATENESS_SECONDS * 1000,
      consumer,
      membership,
    });
    // A process with CORRELATION_ENABLED=false only ingests and serves: it owns no partition.
    if (opts.detection !== false && config.CORRELATION_ENABLED) {
      detection.start();
      teardown.push({ name: 'detection', run: () => detection.stop() });
    }
    const correlationHealth = createCorrelationHealth({
      correlation: correlationRepo, outbox, metrics, log,
      maxLagSeconds: config.CORRELATION_MAX_LAG_SECONDS,
      stuckSeconds: config.CORRELATION_STUCK_SECONDS,
    });
    correlationHealth.start();
    teardown.push({ name: 'correlation health', run: () => correlationHealth.stop() });
    const ruleAudit = createRuleAuditRepo(db);
    // Before the rule service: rule saves can warn about fields no stored event carries.
    const fields = createFieldService({ fields: createFieldsRepo(db) });
    const rules = createRuleService({
      db, rules: rulesRepo, lists: () => listsRepo.contents(), audit: ruleAudit, events, bus, control, log,
      cooldownMs: config.CORRELATION_COOLDOWN_SECONDS * 1000,
      testMaxEvents: config.RULE_TEST_MAX_EVENTS,
      testMaxConcurrent: config.RULE_TEST_MAX_CONCURRENT,
      onTestsRunning: (n) => metrics.ruleTests.set(n),
      onChange: () => detection.rulesChanged(),
      unseenFields: (names) => fields.unseen(names),
    });
    const lists = createListService({ db, lists: listsRepo, rules: rulesRepo, bus, control, log, onChange: () => detection.rulesChanged() });
    const ruleExceptions = createRuleExceptionService({ rules, lists });
    const ruleImport = createRuleImportService({ db, rules: rulesRepo, audit: ruleAudit, lists: () => listsRepo.contents(), announce: () => rules.announceChange() });
    const cases = createCaseService({
      db, cases: createCasesRepo(db), items: createCaseItemsRepo(db), alerts: alertsRepo, events, eventListMaxBytes: config.EVENT_LIST_MAX_BYTES,
    });
    const alerts = createAlertService({ alerts: alertsRepo, events, eventListMaxBytes: config.EVENT_LIST_MAX_BYTES, assignment: cases });
    const defaultRules = createDefaultRulesService({ db, rules: rulesRepo, audit: ruleAudit, appState, log, onChange: () => rules.announceChange() });
    await defaultRules.installOnce();
    const sources = createSources({ metrics });
    const intake = createIntakeService({ writer, metrics, sources, timeZone: config.SYSLOG_TIMEZONE, maxLineLength: DEFAULT_MAX_LINE_LENGTH });
    const ingest = createIngestService({
      writer, intake, metrics, bulkMax: config.BULK_MAX_EVENTS, eventMaxBytes: config.INGEST_BODY_LIMIT_BYTES,
      findEvent: (id) => events.findById(id),
    });
    const scenarios = createScenarioService({
      runs: createScenarioRunsRepo(db), ingest, control, log,
      playbookDir: config.SCENARIO_PLAYBOOK_DIR,
      maxConcurrent: config.SCENARIO_MAX_CONCURRENT,
      owner: consumer,
      singleProcess: db.kind === 'pglite',
    });
    await scenarios.startBackground();
    teardown.push({ name: 'scenarios', run: () => scenarios.close() });

    const toolsRepo = createEventsToolsRepo();
    // Alert notifications: a consumer group of their own on the alerts stream, a queue in the store.
    const notifications = createNotifications({ db, bus, alerts: alertsRepo, config, consumer, log, metrics, secretKey: secret });
    await notifications.start();
    teardown.push({ name: 'notifications', run: () => notifications.stop() });

    const deps: AppDeps = {
      config, log, metrics, db, bus, hub, liveClients, rules, lists, ruleExceptions, ruleImport, alerts, detection, correlationHealth,
      cases,
      ingest,
      intake,
      sources,
      admission,
      scenarios,
      defaultRules,
      logs: createLogService({ events, rollups, db, searchTimeoutMs: config.SEARCH_TIMEOUT_MS, pivotMax: config.PIVOT_MAX_RESULTS, eventListMaxBytes: config.EVENT_LIST_MAX_BYTES }),
      dashboard: createDashboardService({ rollups, alertCounts: () => alerts.counts() }),
      auth,
      setup,
      users,
      authenticate: auth.authenticate,
      rateLimits,
      fields,
      coverage: createCoverageService({ coverage: createCoverageRepo(db) }),
      triage: createTriageService({ alerts: alertsRepo, findRule: (id) => rulesRepo.findById(id), triage: createTriageRepo(db) }),
      addressEnrichment: createAddressEnrichmentService({ facts: addressFacts, indicatorLookup: (ip) => intelMatcher.hitsForAddress(ip) }),
      cluster: createClusterService({ repo: clusterRepo, store: db.kind, bus: bus.kind, consumer, partitions: CORRELATION_PARTITIONS }),
      logExport: createLogExportService({ repo: toolsRepo, read: createBoundedRead(db, config.SEARCH_TIMEOUT_MS, 'export'), log }),
      logStats: createLogStatsService({ repo: toolsRepo, read: createBoundedRead(db, config.SEARCH_TIMEOUT_MS, 'statistics query') }),
      savedSearches: createSavedSearchService({ db, repo: createSavedSearchesRepo(db) }),
      notifications: notifications.channels,
      intel,
      intelMatcher,
    };
    const app = await buildApp(deps);
    teardown.push({ name: 'http', run: () => app.close() });
    // Listeners stop first (teardown runs in reverse): what they read is queued before the writer flushes.
    const syslog = await startSyslogInputs({ config, intake, sources, log });
    teardown.push({ name: 'syslog inputs', run: () => syslog.stop() });
    const shipper = await startShipperListener({ config, intake, sources, admission, log });
    teardown.push({ name: 'shipper listener', run: () => shipper.stop() });
    return { app, deps, shipper, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
