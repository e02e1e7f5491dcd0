// What the engine produces and the limits it runs under. A Firing carries everything the
// detection service persists as an Alert, plus an idempotency key.
import type { Severity } from '@siem/contracts';

export interface Firing {
  /** `${rule_id}:${group_value}:${trigger_event_id}`: one event fires a rule at most once,
   *  so a redelivered event maps onto the alert it already created. */
  key: string;
  rule_id: string;
  rule_name: string;
  severity: Severity;
  /** `${rule_name} [${group_value}]`, or the rule name alone when the rule has no group. */
  title: string;
  /** The group's value(s), joined by " / " for several group_by fields; null without group_by. */
  group_value: string | null;
  /** The newest maxMatchedIds recorded events of the group's window, oldest first. */
  matched_event_ids: string[];
  /** Every event recorded in the window at that moment (>= matched_event_ids.length). */
  matched_event_count: number;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  /** Event time of the triggering event (epoch ms). */
  fired_at_ms: number;
  trigger_event_id: string;
  /** The correlation partition of (rule, group) (partition.ts): whose checkpoint covers it. */
  partition: number;
  /**
   * The rule's suppression, with the key read from the triggering event: the store counts
   * the firing on the open alert of that key last seen within duration_ms, if there is one.
   */
  suppression: { key: string; duration_ms: number } | null;
}

export interface EngineLimits {
  /** Default cooldown per (rule, group), ms (CORRELATION_COOLDOWN_SECONDS * 1000). */
  cooldownMs: number;
  /** Ids listed per firing (the newest ones); the count stays complete. */
  maxMatchedIds: number;
  /** Entries one group may record; the oldest go first beyond it (raised to a rule's threshold). */
  maxGroupEvents: number;
  /** Groups one rule may hold (and cooldowns); the least recently active go first beyond it. */
  maxGroups: number;
  /** Entries one rule may record over all its groups; beyond it, as for maxGroups. */
  maxRuleEvents: number;
  /**
   * The correlation partitions this engine keeps state for (partition.ts), null = all.
   * A (rule, group) of another partition is left alone: another process correlates it.
   */
  owned: ReadonlySet<number> | null;
}
