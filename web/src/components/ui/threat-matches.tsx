// The threat-intel indicators an event matched (fields["threat.indicator.matches"]), for the
// event drawer: list, indicator, the event field that carried it, confidence and source.
import { ThreatMatchSchema, THREAT_MATCHES_FIELD } from '@siem/contracts';
import { z } from 'zod';

const MatchesSchema = z.array(ThreatMatchSchema);

export function ThreatMatches({ fields }: { fields: Record<string, unknown> | null | undefined }) {
  const parsed = MatchesSchema.safeParse(fields?.[THREAT_MATCHES_FIELD]);
  if (!parsed.success || parsed.data.length === 0) return null;
  return (
    <section aria-labelledby="threat-matches-title" data-testid="threat-matches">
      <h3 id="threat-matches-title">Threat intel matches</h3>
      <ul className="plain">
        {parsed.data.map((m) => (
          <li key={`${m.list_id}:${m.indicator}`}>
            <span className="mono">{m.indicator}</span> in <strong>{m.list_name}</strong>
            <span className="muted small"> · {m.type} on {m.field}{m.confidence !== null ? ` · confidence ${m.confidence}` : ''}{m.source ? ` · ${m.source}` : ''}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
