// What enrichment stored about an event's address, shown beside it: a flag and country
// code for a public address (country, city and AS in the tooltip), a small scope tag for
// private and reserved ones. Reads the event's `fields` by the names the server writes.
import { countryFlag, enrichmentField, IP_SCOPES } from '@siem/contracts';
import type { AddressSide, IpScope } from '@siem/contracts';

type Fields = Record<string, unknown> | null | undefined;

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function scopeOf(fields: Fields, side: AddressSide): IpScope | null {
  const v = fields?.[enrichmentField(side, 'scope')];
  return (IP_SCOPES as readonly unknown[]).includes(v) ? (v as IpScope) : null;
}

/** "United Kingdom · London · AS20712 Andrews & Arnold Ltd" */
function describe(fields: Fields, side: AddressSide): string {
  const get = (key: Parameters<typeof enrichmentField>[1]) => fields?.[enrichmentField(side, key)];
  const asn = get('asn');
  const as = typeof asn === 'number' ? `AS${asn}${text(get('asOrg')) ? ` ${text(get('asOrg'))}` : ''}` : null;
  return [text(get('countryName')) ?? text(get('countryCode')), text(get('city')), as].filter(Boolean).join(' · ');
}

export function AddressFacts({ fields, side }: { fields: Fields; side: AddressSide }) {
  const scope = scopeOf(fields, side);
  if (!scope) return null;
  if (scope !== 'public') {
    return <span className={`scope-tag scope-${scope}`} data-testid={`${side}-scope`} title={`${scope.replace('_', '-')} address`}>{scope.replace('_', '-')}</span>;
  }
  const code = text(fields?.[enrichmentField(side, 'countryCode')]);
  const title = describe(fields, side);
  if (!code && !title) return null;
  return (
    <span className="geo" data-testid={`${side}-geo`} title={title} aria-label={title}>
      {code && <span className="geo-flag" aria-hidden="true">{countryFlag(code)}</span>}
      {code ?? (title.startsWith('AS') ? 'AS' : '')}
    </span>
  );
}

/** The credit the database's licence (CC BY 4.0) asks for wherever its results are shown. */
export function GeoAttribution({ fields }: { fields: Fields }) {
  const shown = (['source', 'destination'] as const).some((side) => text(fields?.[enrichmentField(side, 'countryCode')]) !== null);
  if (!shown) return null;
  return (
    <p className="muted small geo-credit">
      <a href="https://db-ip.com" target="_blank" rel="noopener noreferrer">IP Geolocation by DB-IP</a>; AS data from RouteViews, the NRO and DB-IP.
    </p>
  );
}
