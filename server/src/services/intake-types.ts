// What every input hands its records to: text lines (syslog, raw HTTP, HEC raw) or JSON
// documents (Elasticsearch _bulk sources, HEC events, ECS/EVE/Zeek objects). Inputs do the
// framing, limits and backpressure of their protocol; the intake service parses, normalizes
// and queues for storage, and resolves only once the accepted records are persisted.

/** A hint for records whose format the input knows better than the parser could guess. */
export interface SourceHint {
  /** A source_type (auth, firewall...) or a parser name (sshd, nginx, suricata, zeek...). */
  format?: string | null;
  /** Host that sent the records, when the protocol names it (HEC `host`, syslog peer). */
  host?: string | null;
}

export interface IntakeContext {
  /** The input's name in the Sources view and in /metrics: syslog-udp, syslog-tcp, syslog-tls, http-raw, elasticsearch, hec. */
  input: string;
  /** Remote address of the sender (for the Sources view and `metadata.peer`). */
  peer?: string | null;
  /** Receipt time in ms; defaults to the service clock. */
  receivedMs?: number;
  hint?: SourceHint | null;
  /** Bytes as received, counted against the write queue's byte bound. */
  bytes?: number;
}

export interface IntakeItemError {
  /** 0-based position of the line or document in the submission. */
  index: number;
  message: string;
}

export interface IntakeOutcome {
  accepted: number;
  rejected: number;
  /** Per-item refusals (only documents that are not objects or carry an invalid id, or lines that are blank, are ever refused). */
  errors: IntakeItemError[];
  /** 0-based positions of accepted items that an earlier delivery already stored (acknowledged, not stored again). */
  duplicates: number[];
}

/** A JSON document with what its envelope (ES action line, HEC event wrapper) said about it. */
export interface IntakeDocument {
  doc: Record<string, unknown>;
  /** Elasticsearch index or HEC index the shipper named. */
  index?: string | null;
  /** HEC sourcetype / source, Beats' event.module... a hint for the parser. */
  sourcetype?: string | null;
  host?: string | null;
  /** Event time the envelope carries (HEC `time`), ms. */
  timeMs?: number | null;
  /** The id the envelope gives the document (Elasticsearch `_id`): dedup key, before the document's own `event.id`. */
  id?: string | null;
}

export interface Intake {
  /**
   * Parses, stores and publishes text lines (one event each). Resolves once every accepted
   * line is persisted. Rejects with the write queue's 503 AppError (SERVICE_UNAVAILABLE,
   * retryAfter) when the queue is full: then nothing of the call is stored.
   */
  lines(lines: readonly string[], ctx: IntakeContext): Promise<IntakeOutcome>;
  /** Same for JSON documents; a document that is not an object is refused by index. */
  documents(docs: readonly IntakeDocument[], ctx: IntakeContext): Promise<IntakeOutcome>;
  /** Whether the write queue has room now (TCP inputs stop reading while it has not). */
  hasRoom(): boolean;
  /** Resolves when the write queue has room again (polled; never rejects). */
  waitForRoom(): Promise<void>;
}
