// Read-only JSON of an event's raw / normalized object.
export function JsonView({ value, label }: { value: unknown; label: string }) {
  const empty = value === null || (typeof value === 'object' && Object.keys(value as object).length === 0);
  return (
    <div className="json-view">
      <h3>{label}</h3>
      {empty ? <p className="muted">(empty)</p> : <pre tabIndex={0} aria-label={label}>{JSON.stringify(value, null, 2)}</pre>}
    </div>
  );
}
