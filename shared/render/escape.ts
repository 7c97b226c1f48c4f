// Escaping for the three contexts templates write into: HTML text, attribute values and JSON-LD script data.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a double-quoted attribute value. */
const NEEDS_ESCAPE = /[&<>"']/;
export const escapeHtml = (value: string): string =>
  // Most text (Chinese prose, paths, ids) has nothing to escape: testing first skips the replace and its copy.
  NEEDS_ESCAPE.test(value) ? value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch) : value;

/** XML text and attributes (feed, sitemap) need the same five escapes. */
export const escapeXml = escapeHtml;

/**
 * JSON for a `<script type="application/ld+json">` block. `<` is written as `\u003c`, so no value can close the
 * script element; U+2028/U+2029 are escaped for older parsers.
 */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** Tagged template that leaves already-built HTML alone: only call sites decide what is escaped. */
export const html = (strings: TemplateStringsArray, ...values: (string | number | false | undefined)[]) =>
  strings.reduce((out, s, i) => {
    const v = values[i - 1];
    return out + (v === undefined || v === false ? '' : String(v)) + s;
  });
