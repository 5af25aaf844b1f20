// How many terminal columns a text takes: East Asian Wide and Fullwidth characters (CJK, kana, Hangul,
// most emoji) take two, combining marks and zero-width characters none, everything else one. A line
// measured in characters instead would wrap on a terminal when it holds a Japanese file name.

import { eastAsianWidth } from 'get-east-asian-width';

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** Ambiguous characters (Greek, Cyrillic, box drawing) are narrow outside East Asian locales. */
const NARROW_AMBIGUOUS = { ambiguousAsWide: false } as const;

function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  return eastAsianWidth(char.codePointAt(0) ?? 0, NARROW_AMBIGUOUS);
}

/** Printable ASCII: one column a character, the usual case, counted without a lookup per character. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function textWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** `text` with spaces after it up to `width` columns. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}

/** The longest start of `text` that fits in `width` columns. */
export function headToWidth(text: string, width: number): string {
  let out = '';
  let used = 0;
  for (const char of text) {
    used += charWidth(char);
    if (used > width) break;
    out += char;
  }
  return out;
}

/** The longest end of `text` that fits in `width` columns. */
export function tailToWidth(text: string, width: number): string {
  const chars = [...text];
  let used = 0;
  let start = chars.length;
  while (start > 0 && used + charWidth(chars[start - 1]!) <= width) used += charWidth(chars[--start]!);
  return chars.slice(start).join('');
}
