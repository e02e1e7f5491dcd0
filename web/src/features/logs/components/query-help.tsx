// The syntax help of the search bar: one example per construct; clicking an example puts it
// in the box. The whole language is in docs/search.md.
const EXAMPLES: [string, string][] = [
  ['failed password', 'free text, both words (event type, addresses, user, host, message)'],
  ['"failed password"', 'a phrase'],
  ['username:root', 'a field equals a value (case-insensitive for text)'],
  ['hostname:web-*', 'wildcards: * any characters, ? one character'],
  ['event_type:(ssh_failed OR sudo)', 'several values for one field'],
  ['source_ip:10.0.0.0/8', 'an address inside a network (IPv4 or IPv6)'],
  ['dest_port:[1024 TO 65535]', 'a range; {} excludes the bound, * leaves it open'],
  ['severity>=high', 'comparisons: > >= < <= (severity by rank)'],
  ['timestamp>=2026-01-31T10:00:00Z', 'a time bound (ISO 8601, UTC)'],
  ['user.name:*', 'the field is present (also _exists_:user.name)'],
  ['a AND (b OR NOT c)', 'AND / OR / NOT (also && || ! and -term); terms side by side are ANDed'],
];

export function QueryHelp({ onPick }: { onPick: (example: string) => void }) {
  return (
    <div className="query-help" id="query-help" data-testid="query-help">
      <table>
        <tbody>
          {EXAMPLES.map(([example, meaning]) => (
            <tr key={example}>
              <td><button type="button" className="link mono" onClick={() => onPick(example)}>{example}</button></td>
              <td className="muted">{meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Fields: the event columns (source_ip, username, hostname, event_type, message, severity, source_port...) and any parsed field by its dotted name. Escape special characters with \ or quote the value.</p>
    </div>
  );
}
