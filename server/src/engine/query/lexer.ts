// Tokens of the query language, each with its offset and length. Words decode backslash
// escapes and note their unescaped wildcards; phrases are double-quoted with \" and \\.
// Control characters and unpaired surrogates are refused here, at their position.
import { QUERY_LIMITS } from '@siem/contracts';
import { QueryError, type PatternPart } from './ast.ts';

export type TokenType =
  | 'word'
  | 'string'
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'lbrace'
  | 'rbrace'
  | 'colon'
  | 'cmp'
  | 'and'
  | 'or'
  | 'not'
  | 'eof';

export interface Token {
  type: TokenType;
  /** Decoded text (word, string), the operator (cmp), or the source text. */
  text: string;
  pos: number;
  len: number;
  /** Words only: set when the word holds an unescaped * or ?. */
  pattern?: PatternPart[];
  /** Words only: the word had a backslash escape (then it is never a keyword). */
  escaped?: boolean;
}

const SINGLE: Record<string, TokenType> = {
  '(': 'lparen',
  ')': 'rparen',
  '[': 'lbracket',
  ']': 'rbracket',
  '{': 'lbrace',
  '}': 'rbrace',
  ':': 'colon',
};
// Characters that end a word (besides whitespace); a backslash makes any of them literal.
const WORD_END = new Set(['(', ')', '[', ']', '{', '}', '"', ':', '<', '>']);
const KEYWORDS: Record<string, TokenType> = { AND: 'and', OR: 'or', NOT: 'not' };

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function checkCharacters(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && !isSpace(text[i]!)) || code === 0x7f) {
      throw new QueryError(`Control character U+${code.toString(16).padStart(4, '0').toUpperCase()} at position ${i} is not allowed in a query`, i, 1);
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) throw new QueryError(`Invalid character (an unpaired surrogate) at position ${i}`, i, 1);
  }
}

/** Splits a query into tokens; the last one is `eof` at the end of the text. */
export function tokenize(text: string): Token[] {
  if (text.length > QUERY_LIMITS.maxLength) {
    throw new QueryError(`A query holds at most ${QUERY_LIMITS.maxLength} characters (this one has ${text.length})`, QUERY_LIMITS.maxLength, text.length - QUERY_LIMITS.maxLength);
  }
  checkCharacters(text);
  const tokens: Token[] = [];
  let i = 0;
  // A '-' or '!' negates only where a term starts: at the start, after a space or an opening bracket.
  const atTermStart = () => {
    if (i === 0 || isSpace(text[i - 1]!) || text[i - 1] === '(') return true;
    const last = tokens.at(-1);
    return last !== undefined && last.type === 'not' && last.pos + last.len === i;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const single = SINGLE[c];
    if (single) {
      tokens.push({ type: single, text: c, pos: i, len: 1 });
      i++;
      continue;
    }
    if (c === '<' || c === '>') {
      const op = text[i + 1] === '=' ? `${c}=` : c;
      tokens.push({ type: 'cmp', text: op, pos: i, len: op.length });
      i += op.length;
      continue;
    }
    if ((c === '&' && text[i + 1] === '&') || (c === '|' && text[i + 1] === '|')) {
      tokens.push({ type: c === '&' ? 'and' : 'or', text: c + c, pos: i, len: 2 });
      i += 2;
      continue;
    }
    if ((c === '!' || c === '-') && atTermStart() && i + 1 < text.length && !isSpace(text[i + 1]!)) {
      tokens.push({ type: 'not', text: c, pos: i, len: 1 });
      i++;
      continue;
    }
    if (c === '"') {
      tokens.push(readString(text, i));
      i = tokens.at(-1)!.pos + tokens.at(-1)!.len;
      continue;
    }
    const word = readWord(text, i);
    tokens.push(word);
    i = word.pos + word.len;
  }
  tokens.push({ type: 'eof', text: '', pos: text.length, len: 0 });
  return tokens;
}

function readString(text: string, start: number): Token {
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '"') return { type: 'string', text: out, pos: start, len: i + 1 - start };
    out += c;
    i++;
  }
  throw new QueryError(`Unclosed quote: the '"' at position ${start} has no closing '"'`, start, text.length - start);
}

function readWord(text: string, start: number): Token {
  const parts: PatternPart[] = [];
  let literal = '';
  let decoded = '';
  let wild = false;
  let escaped = false;
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c) || WORD_END.has(c)) break;
    if (c === '\\') {
      if (i + 1 >= text.length) throw new QueryError(`A '\\' at the end of the query escapes nothing (position ${i})`, i, 1);
      const next = text[i + 1]!;
      literal += next;
      decoded += next;
      escaped = true;
      i += 2;
      continue;
    }
    if (c === '*' || c === '?') {
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ wild: c });
      decoded += c;
      wild = true;
      i++;
      continue;
    }
    literal += c;
    decoded += c;
    i++;
  }
  if (literal) parts.push(literal);
  const len = i - start;
  if (!escaped && !wild) {
    const keyword = KEYWORDS[decoded.toUpperCase()];
    if (keyword) return { type: keyword, text: decoded, pos: start, len };
  }
  const token: Token = { type: 'word', text: decoded, pos: start, len, escaped };
  if (wild) token.pattern = parts;
  return token;
}
