// The taxonomy registry: Sigma field name -> our field for a logsource. Windows first (its
// event data fallback is the most precise), then Linux, Zeek, web and network; any other
// product keeps its fields under fields.<Name> (our JSON parsers keep every key by name).
import { linuxTaxonomy } from './linux.ts';
import { networkTaxonomy, zeekTaxonomy } from './network.ts';
import type { Logsource, TaxonomyModule } from './types.ts';
import { webTaxonomy } from './web.ts';
import { windowsTaxonomy } from './windows.ts';

export const TAXONOMIES: readonly TaxonomyModule[] = [windowsTaxonomy, linuxTaxonomy, zeekTaxonomy, webTaxonomy, networkTaxonomy];

export interface FieldMapping {
  field: string;
  /** True when no module knew the name and the fallback location was used. */
  fallback: boolean;
}

/** A field name our rule language accepts as given (dotted); Sigma names may hold any character. */
const SAFE = /^[A-Za-z0-9_.@-]+$/;

export function mapField(sigmaField: string, ls: Logsource): FieldMapping {
  const module = TAXONOMIES.find((m) => m.applies(ls));
  if (module) {
    const table = module.fields(ls);
    if (Object.hasOwn(table, sigmaField)) return { field: table[sigmaField]!, fallback: false };
    const lowered = sigmaField.toLowerCase();
    for (const [name, ours] of Object.entries(table)) if (name.toLowerCase() === lowered) return { field: ours, fallback: false };
    return { field: module.fallback(sigmaField, ls), fallback: true };
  }
  return { field: `fields.${sigmaField}`, fallback: true };
}

export function isSafeFieldName(name: string): boolean {
  return SAFE.test(name);
}
