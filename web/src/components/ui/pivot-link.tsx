// One-click pivot: a value (address, user, host) that opens the log view filtered on it.
// Any screen can link to /logs with a filter without importing the logs feature.
import { Link } from 'react-router';

export type PivotField = 'source_ip' | 'dest_ip' | 'username' | 'hostname';

const LABEL: Record<PivotField, string> = {
  source_ip: 'from source',
  dest_ip: 'to destination',
  username: 'of user',
  hostname: 'on host',
};

export const pivotHref = (field: PivotField, value: string) => `/logs?${new URLSearchParams({ [field]: value }).toString()}`;

export function PivotLink({ field, value, onNavigate }: { field: PivotField; value: string | null | undefined; onNavigate?: () => void }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <Link to={pivotHref(field, value)} className="pivot mono" title={`Show every event ${LABEL[field]} ${value}`} onClick={onNavigate}>
      {value}
    </Link>
  );
}
