// Enrichment: steps that add to an event's `fields` after it is parsed and normalized and
// before it is stored, whatever door it came in by (HTTP, syslog, shippers, scenarios), so
// what they add is stored with the event, searchable, and seen by correlation. A step is
// synchronous and reads only memory (a database loaded at start, an index of indicators):
// it runs on the ingest path and must cost microseconds per event.
import type { NewEvent } from '../store/events-repo.ts';

export interface EventEnricher {
  /** For logs and metrics: "geoip", "threat-intel". */
  readonly name: string;
  /** Adds fields to the events in place. Never throws for one bad event. */
  enrich(events: NewEvent[]): void;
}

/** Runs every step in order over a batch; a step that throws is logged and skipped, never loses the batch. */
export function createEnrichment(steps: readonly EventEnricher[], onError: (step: string, err: unknown) => void) {
  return {
    steps,
    enrich(events: NewEvent[]): void {
      if (events.length === 0) return;
      for (const step of steps) {
        try {
          step.enrich(events);
        } catch (err) {
          onError(step.name, err);
        }
      }
    },
  };
}
export type Enrichment = ReturnType<typeof createEnrichment>;
