// Text hygiene applied to every contributor string before it is validated or stored.

// Control (Cc) and invisible format (Cf) characters: NUL, escapes, bidi overrides, zero-width spaces, BOM. Also
// what XML 1.0 cannot carry, so no accepted text can break the feed or the sitemaps: Unicode noncharacters
// (U+FDD0–U+FDEF and U+xFFFE/U+xFFFF in every plane) and lone surrogate halves (JSON can encode "\ud800").
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Noncharacter_Code_Point}\p{Cs}]/gu;
// Kept where a field allows several lines; ZWJ is kept everywhere because emoji sequences need it.
const KEEP_MULTI_LINE = new Set(['\n', '\t', '\u200d']);
const KEEP_SINGLE_LINE = new Set(['\u200d']);

/** NFC-normalises, strips control characters and trims. Single-line fields also fold whitespace to one space. */
export function cleanText(value: string, options: { multiline: boolean }): string {
  const normalised = value.normalize('NFC').replace(/\r\n?/g, '\n');
  if (options.multiline) {
    return normalised.replace(INVISIBLE, (ch) => (KEEP_MULTI_LINE.has(ch) ? ch : '')).trim();
  }
  return normalised
    .replace(INVISIBLE, (ch) => (KEEP_SINGLE_LINE.has(ch) ? ch : ch === '\n' || ch === '\t' ? ' ' : ''))
    .replace(/\s+/g, ' ')
    .trim();
}
