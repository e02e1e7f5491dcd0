// A taxonomy module maps the Sigma field names of one domain to the fields our parsers
// emit, and says where a field it does not know is kept (Windows event data, Zeek logs...).
// Modules are tried in registry order; the first that applies to the logsource answers.

export type Logsource = Readonly<Record<string, string>>;

export interface TaxonomyModule {
  name: string;
  applies(ls: Logsource): boolean;
  /** Our field for a Sigma field (exact name, then case-insensitively), or undefined. */
  fields(ls: Logsource): Readonly<Record<string, string>>;
  /** Where an unmapped field is looked for. */
  fallback(field: string, ls: Logsource): string;
}

export const lower = (v: string | undefined): string => (v ?? '').toLowerCase();
