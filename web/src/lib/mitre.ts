// Links to MITRE ATT&CK for technique (T1110, T1110.001) and tactic (TA0006) ids.
export function mitreUrl(id: string): string | null {
  const text = id.trim().toUpperCase();
  const technique = /^T(\d{4})(?:\.(\d{3}))?$/.exec(text);
  if (technique) {
    return technique[2]
      ? `https://attack.mitre.org/techniques/T${technique[1]}/${technique[2]}/`
      : `https://attack.mitre.org/techniques/T${technique[1]}/`;
  }
  if (/^TA\d{4}$/.test(text)) return `https://attack.mitre.org/tactics/${text}/`;
  return null;
}
