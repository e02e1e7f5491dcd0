// The confusable skeleton of a username: two names with the same skeleton look alike, so
// only one of them may exist. NFKC and case folding, combining marks dropped, then the
// common Cyrillic and Greek homoglyphs of Latin letters and the digit/letter look-alikes
// (0/o, 1/l/I/i) mapped onto one Latin prototype. A compact cut of the idea of Unicode
// UTS #39 skeletons: it errs towards refusing (admln1 collides with admin1).

// Capitals first, while case still tells them apart: Greek Eta (H) and eta (n) differ.
const CAPITALS: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', Ѕ: 'S', І: 'I', Ј: 'J', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Ӏ: 'I',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};

const LOWER: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', г: 'r', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', п: 'n', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ь: 'b',
  ѕ: 's', і: 'l', ї: 'l', ј: 'j', ӏ: 'l', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ү: 'y', ɡ: 'g',
  // Greek
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'l', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  // Latin look-alikes outside ASCII
  ı: 'l', ɩ: 'l', ɑ: 'a', ǀ: 'l', ø: 'o',
  // One vertical stroke: i, l, 1, |; one ring: o, 0; and their Arabic-Indic twins
  i: 'l', '1': 'l', '|': 'l', '١': 'l', '۱': 'l', '0': 'o', '٠': 'o', '۰': 'o', '٥': 'o', '۵': 'o',
};

const MARKS = /\p{M}/gu;

export function usernameSkeleton(username: string): string {
  let text = '';
  for (const ch of username.normalize('NFKC').trim()) text += CAPITALS[ch] ?? ch;
  text = text.toLowerCase().normalize('NFD').replace(MARKS, '');
  let out = '';
  for (const ch of text) out += LOWER[ch] ?? ch;
  // Letter pairs that read as one letter at a glance.
  return out.replace(/rn/g, 'm').replace(/vv/g, 'w');
}
