// The registry of Sigma value modifiers. Transforms rewrite values in the order written
// (utf16 -> base64, windash variants); one match modifier picks the operator; flags adjust
// it (all, cased, re's i/m/s). What our language cannot express is refused by name.
import { Buffer } from 'node:buffer';
import { ANY, type Part } from './strings.ts';
import { SigmaRefusal } from './types.ts';

/** A value on its way through the transforms: Sigma string parts, or bytes after utf16. */
export type Value = { parts: Part[] } | { bytes: Buffer };

type Transform = (value: Value, field: string) => Value[];
type ModifierSpec =
  | { kind: 'transform'; apply: Transform }
  | { kind: 'match'; op: 'contains' | 'startswith' | 'endswith' | 're' | 'cidr' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists' }
  | { kind: 'flag' }
  | { kind: 'refused'; reason: string };

/** At most this many variants of one value (windash multiplies by 5 per dash). */
export const MAX_VARIANTS = 625;

function literalBytes(value: Value, field: string, modifier: string): Buffer {
  if ('bytes' in value) return value.bytes;
  if (value.parts.some((p) => typeof p !== 'string')) {
    throw new SigmaRefusal(`${modifier} of a value with wildcards cannot be matched`, { field, modifier });
  }
  return Buffer.from(value.parts.join(''), 'utf8');
}

function utf16(order: 'le' | 'be', bom: boolean): Transform {
  return (value, field) => {
    const name = order === 'le' ? 'utf16le' : 'utf16be';
    const text = literalBytes(value, field, name).toString('utf8');
    const le = Buffer.from(text, 'utf16le');
    const body = order === 'le' ? le : Buffer.from(le.swap16());
    return [{ bytes: bom ? Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]) : body }];
  };
}

const base64: Transform = (value, field) => [{ parts: [literalBytes(value, field, 'base64').toString('base64')] }];

/**
 * The three encodings of a value that starts at byte offset 0, 1 or 2 of an encoded blob,
 * with the characters that depend on the neighbouring bytes cut off (matched with contains).
 */
const base64offset: Transform = (value, field) => {
  const bytes = literalBytes(value, field, 'base64offset');
  const out: Value[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = [0, 2, 3][shift]!;
    const cut = [0, 3, 2][(bytes.length + shift) % 3]!;
    const piece = encoded.slice(start, encoded.length - cut);
    if (piece !== '') out.push({ parts: [piece] });
  }
  return out;
};

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** `-` or `/` opening a word (a command-line switch) in any of the dash characters Windows accepts. */
const windash: Transform = (value, field) => {
  if ('bytes' in value) throw new SigmaRefusal('windash after an encoding modifier', { field, modifier: 'windash' });
  let variants: Part[][] = [[]];
  const parts = value.parts;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (typeof part !== 'string') {
      variants = variants.map((v) => [...v, part]);
      continue;
    }
    // Split at switch characters: at the start of the value (or after a wildcard or a non-word character) and before a word character.
    const pieces: (string | null)[] = [];
    let literal = '';
    for (let i = 0; i < part.length; i++) {
      const c = part[i]!;
      const before = i > 0 ? part[i - 1]! : p > 0 && parts[p - 1] === ANY ? ' ' : p > 0 ? 'x' : ' ';
      const after = part[i + 1] ?? '';
      if ((c === '-' || c === '/') && !/\w/.test(before) && /\w/.test(after)) {
        pieces.push(literal, null);
        literal = '';
      } else literal += c;
    }
    pieces.push(literal);
    for (const piece of pieces) {
      if (piece === null) {
        if (variants.length * DASHES.length > MAX_VARIANTS) {
          throw new SigmaRefusal(`windash: more than ${MAX_VARIANTS} variants of one value`, { field, modifier: 'windash' });
        }
        variants = variants.flatMap((v) => DASHES.map((d) => [...v, d]));
      } else if (piece !== '') variants = variants.map((v) => [...v, piece]);
    }
  }
  return variants.map((v) => ({ parts: mergeLiterals(v) }));
};

function mergeLiterals(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

export const MODIFIERS: Readonly<Record<string, ModifierSpec>> = {
  contains: { kind: 'match', op: 'contains' },
  startswith: { kind: 'match', op: 'startswith' },
  endswith: { kind: 'match', op: 'endswith' },
  re: { kind: 'match', op: 're' },
  cidr: { kind: 'match', op: 'cidr' },
  gt: { kind: 'match', op: 'gt' },
  gte: { kind: 'match', op: 'gte' },
  lt: { kind: 'match', op: 'lt' },
  lte: { kind: 'match', op: 'lte' },
  exists: { kind: 'match', op: 'exists' },
  all: { kind: 'flag' },
  cased: { kind: 'flag' },
  i: { kind: 'flag' },
  m: { kind: 'flag' },
  s: { kind: 'flag' },
  base64: { kind: 'transform', apply: base64 },
  base64offset: { kind: 'transform', apply: base64offset },
  utf16le: { kind: 'transform', apply: utf16('le', false) },
  wide: { kind: 'transform', apply: utf16('le', false) },
  utf16be: { kind: 'transform', apply: utf16('be', false) },
  utf16: { kind: 'transform', apply: utf16('le', true) },
  windash: { kind: 'transform', apply: windash },
  expand: { kind: 'refused', reason: 'placeholders (expand) are not supported: replace them with values before importing' },
  fieldref: { kind: 'refused', reason: 'fieldref (comparing two fields of one event) is not supported by our rule language' },
  neq: { kind: 'refused', reason: 'neq is not supported; write the value under a "not" selection' },
  minute: { kind: 'refused', reason: 'time-part modifiers (minute, hour, day, week, month, year) are not supported' },
  hour: { kind: 'refused', reason: 'time-part modifiers (minute, hour, day, week, month, year) are not supported' },
  day: { kind: 'refused', reason: 'time-part modifiers (minute, hour, day, week, month, year) are not supported' },
  week: { kind: 'refused', reason: 'time-part modifiers (minute, hour, day, week, month, year) are not supported' },
  month: { kind: 'refused', reason: 'time-part modifiers (minute, hour, day, week, month, year) are not supported' },
  year: { kind: 'refused', reason: 'time-part modifiers (minute, hour, day, week, month, year) are not supported' },
};

export interface ParsedModifiers {
  match: ModifierSpec & { kind: 'match' } | null;
  transforms: { name: string; apply: Transform }[];
  all: boolean;
  cased: boolean;
  reFlags: string;
}

/** `Field|a|b` -> its modifiers, checked against the registry (an unknown name is refused, listing the known ones). */
export function parseModifiers(names: readonly string[], field: string): ParsedModifiers {
  const out: ParsedModifiers = { match: null, transforms: [], all: false, cased: false, reFlags: '' };
  for (const raw of names) {
    const name = raw.trim();
    const spec = Object.hasOwn(MODIFIERS, name) ? MODIFIERS[name]! : undefined;
    if (!spec) {
      throw new SigmaRefusal(`unknown modifier '${name}'; known: ${Object.keys(MODIFIERS).join(', ')}`, { field, modifier: name });
    }
    switch (spec.kind) {
      case 'refused':
        throw new SigmaRefusal(spec.reason, { field, modifier: name });
      case 'transform':
        // Sigma writes transforms before or after the match modifier (`contains|windash`): the
        // match is applied last either way, so the order between them does not matter.
        out.transforms.push({ name, apply: spec.apply });
        break;
      case 'match':
        if (out.match) throw new SigmaRefusal(`two match modifiers ('${out.match.op}' and '${name}')`, { field, modifier: name });
        out.match = spec;
        break;
      case 'flag':
        if (name === 'all') out.all = true;
        else if (name === 'cased') out.cased = true;
        else if (out.match?.op !== 're') throw new SigmaRefusal(`'${name}' is a flag of the re modifier`, { field, modifier: name });
        else out.reFlags += name;
    }
  }
  return out;
}
