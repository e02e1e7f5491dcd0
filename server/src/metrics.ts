// Prometheus metrics, one registry per app instance (tests build many). Counters and
// histograms for ingest, the write queue, correlation (also per rule) and the live feeds;
// services receive this object. Per-rule series carry only `rule_id` (bounded by the rules
// running; removed when a rule stops running); names come from siem_correlation_rule_info.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'siem_process_' });
  const registers = [registry];
  return {
    registry,
    eventsReceived: new Counter({ name: 'siem_events_received_total', help: 'Events submitted to ingest', labelNames: ['route'] as const, registers }),
    eventsStored: new Counter({ name: 'siem_events_stored_total', help: 'Events persisted', registers }),
    eventsDuplicate: new Counter({ name: 'siem_events_duplicate_total', help: 'Events acknowledged without being stored again (a retried delivery), by key: id (client-given) or hash (raw digest)', labelNames: ['key'] as const, registers }),
    eventsRejected: new Counter({ name: 'siem_events_rejected_total', help: 'Events refused (validation, backpressure)', labelNames: ['reason'] as const, registers }),
    publishFailures: new Counter({ name: 'siem_bus_publish_failures_total', help: 'Bus publish attempts that failed', labelNames: ['stream'] as const, registers }),
    batchSize: new Histogram({ name: 'siem_ingest_batch_size', help: 'Events per stored batch', buckets: [1, 10, 50, 100, 500, 1000, 2000, 5000, 10000], registers }),
    batchLatency: new Histogram({ name: 'siem_ingest_batch_seconds', help: 'Time to store one batch', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers }),
    queueDepth: new Gauge({ name: 'siem_ingest_queue_depth', help: 'Events waiting in the write queue', registers }),
    queueBytes: new Gauge({ name: 'siem_ingest_queue_bytes', help: 'Bytes of events waiting in the write queue or being written', registers }),
    admissionBytes: new Gauge({ name: 'siem_ingest_admitted_body_bytes', help: 'Bytes reserved for ingest bodies being received and parsed', registers }),
    ruleTests: new Gauge({ name: 'siem_rule_tests_running', help: 'Rule tests replaying history right now', registers }),
    sseClients: new Gauge({ name: 'siem_sse_clients', help: 'Open live-feed connections', labelNames: ['feed'] as const, registers }),
    correlationState: new Gauge({ name: 'siem_correlation_state', help: 'State of this process\'s correlation consumer (1 for the current one)', labelNames: ['state'] as const, registers }),
    correlationLeader: new Gauge({ name: 'siem_correlation_leader', help: '1 while this process correlates at least one partition', registers }),
    correlationPartitions: new Gauge({ name: 'siem_correlation_partitions_owned', help: 'Correlation partitions this process owns (of 16)', registers }),
    correlationProcessed: new Counter({ name: 'siem_correlation_events_total', help: 'Events correlated by this process', registers }),
    correlationAlerts: new Counter({ name: 'siem_correlation_alerts_total', help: 'Alerts raised by this process', registers }),
    correlationSuppressed: new Counter({ name: 'siem_correlation_suppressed_total', help: 'Firings counted on an open alert (rule suppression) instead of raising one', registers }),
    correlationReplayed: new Counter({ name: 'siem_correlation_replayed_events_total', help: 'Events replayed to rebuild windows on takeover', registers }),
    correlationErrors: new Counter({ name: 'siem_correlation_errors_total', help: 'Correlation runs that stopped on an error', registers }),
    correlationLagEvents: new Gauge({ name: 'siem_correlation_lag_events', help: 'Stored events not yet correlated (deployment-wide)', registers }),
    correlationLagSeconds: new Gauge({ name: 'siem_correlation_lag_seconds', help: 'Age of the oldest stored event not yet correlated', registers }),
    correlationLastEvent: new Gauge({ name: 'siem_correlation_last_event_timestamp_seconds', help: 'Event time of the last correlated event', registers }),
    correlationHeartbeatAge: new Gauge({ name: 'siem_correlation_heartbeat_age_seconds', help: 'Seconds since the correlating process last reported', registers }),
    correlationHealthy: new Gauge({ name: 'siem_correlation_healthy', help: '1 when correlation keeps up, 0 when stuck or far behind', registers }),
    correlationLate: new Counter({ name: 'siem_correlation_late_events_total', help: 'Events stored but not correlated: older than the newest event time minus CORRELATION_MAX_LATENESS_SECONDS', registers }),
    correlationEventLag: new Gauge({ name: 'siem_correlation_event_lag_seconds', help: 'When the last batch was correlated: that moment minus the event time of its last event', registers }),
    correlationProcessingLag: new Gauge({ name: 'siem_correlation_processing_lag_seconds', help: 'When the last batch was correlated: that moment minus the time its last event was received (stored)', registers }),
    correlationRules: new Gauge({ name: 'siem_correlation_rules', help: 'Rules the correlation engine of this process runs', registers }),
    correlationGroups: new Gauge({ name: 'siem_correlation_groups', help: 'Correlation groups (rule, group value) held in memory', registers }),
    correlationTrackedEvents: new Gauge({ name: 'siem_correlation_tracked_events', help: 'Events recorded in open correlation windows', registers }),
    ruleEvents: new Counter({ name: 'siem_correlation_rule_events_total', help: 'Events that matched the rule\'s filter (or one of its steps)', labelNames: ['rule_id'] as const, registers }),
    ruleAlerts: new Counter({ name: 'siem_correlation_rule_alerts_total', help: 'Alerts the rule raised', labelNames: ['rule_id'] as const, registers }),
    ruleErrors: new Counter({ name: 'siem_correlation_rule_errors_total', help: 'Evaluations of the rule that threw (the event was skipped for this rule only)', labelNames: ['rule_id'] as const, registers }),
    ruleGroups: new Gauge({ name: 'siem_correlation_rule_groups', help: 'Groups the rule holds in memory', labelNames: ['rule_id'] as const, registers }),
    ruleInfo: new Gauge({ name: 'siem_correlation_rule_info', help: 'Always 1: the name and type of each running rule, to join on rule_id', labelNames: ['rule_id', 'rule_name', 'rule_type'] as const, registers }),
    controlMessages: new Counter({ name: 'siem_control_messages_total', help: 'Control messages received from the bus, by type', labelNames: ['type'] as const, registers }),
    controlInvalid: new Counter({ name: 'siem_control_invalid_messages_total', help: 'Control messages skipped: malformed, unknown_type (from a newer version) or invalid', labelNames: ['reason'] as const, registers }),
    outboxEntries: new Gauge({ name: 'siem_bus_outbox_entries', help: 'Stored batches waiting to be published on the bus', registers }),
    inputUp: new Gauge({ name: 'siem_input_up', help: '1 while an input listens', labelNames: ['input'] as const, registers }),
    inputBytes: new Counter({ name: 'siem_input_bytes_total', help: 'Bytes read by an input', labelNames: ['input'] as const, registers }),
    inputEvents: new Counter({ name: 'siem_input_events_total', help: 'Records an input stored, by recognized format', labelNames: ['input', 'format'] as const, registers }),
    inputParseFailures: new Counter({ name: 'siem_input_parse_failures_total', help: 'Records no parser recognized (stored as generic events)', labelNames: ['input'] as const, registers }),
    inputDropped: new Counter({ name: 'siem_input_dropped_total', help: 'Frames, lines or datagrams an input dropped, by reason', labelNames: ['input', 'reason'] as const, registers }),
    inputConnections: new Gauge({ name: 'siem_input_connections', help: 'Open connections of a stream input', labelNames: ['input'] as const, registers }),
    notifyAttempts: new Counter({ name: 'siem_notify_attempts_total', help: 'Notification send attempts by channel kind and what followed: delivered, retry or failed', labelNames: ['kind', 'outcome'] as const, registers }),
    notifyDropped: new Counter({ name: 'siem_notify_dropped_total', help: 'Notification deliveries not queued because the queue was full (NOTIFY_QUEUE_MAX)', registers }),
    httpRequests: new Counter({ name: 'siem_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'] as const, registers }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
