// Old CMS bodies (WordPress, DedeCMS: HTML, often pasted from Word) to the site's Markdown, with turndown. Scripts,
// styles, frames, forms and embedded objects are dropped before conversion; inline styles and classes cannot
// survive, since Markdown has no place for them. What remains is what markdown-it (html:false) renders: paragraphs,
// subheadings, bold, italics, lists, quotes, links, images and simple tables. Pure: HTML in, Markdown out.
import TurndownService from 'turndown';
import { isSafeHref } from '../render/markdown.ts';

export interface HtmlImage {
  readonly src: string;
  readonly alt: string;
}

export interface ConvertedBody {
  /** Markdown with one marker per image (see `imageMarker`), for the importer to replace once it knows the photo. */
  readonly markdown: string;
  /** The images in body order; marker n is images[n]. */
  readonly images: readonly HtmlImage[];
}

// Private-use characters: stripped from the input, so only the converter's own markers can contain them.
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const CELL = '\uE002';
const ROW = '\uE003';
const PRIVATE_MARKS = /[\uE000-\uE003]/g;
export const imageMarker = (n: number): string => `${MARK_OPEN}img${n}${MARK_CLOSE}`;
const MARKER = new RegExp(`${MARK_OPEN}img(\\d+)${MARK_CLOSE}`, 'g');

/** Elements whose content is never article text: dropped with everything inside them. */
const DROPPED = [
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'noscript',
  'template',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'link',
  'meta',
  'title',
  'head',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
] as const;

let collected: HtmlImage[] = [];

const service = new TurndownService({
  headingStyle: 'atx',
  bulletListMarker: '-',
  strongDelimiter: '**',
  emDelimiter: '*',
  codeBlockStyle: 'fenced',
  hr: '---',
});
service.remove([...DROPPED] as TurndownService.Filter);

// The page's <h1> is the title: a body's own headings become subheadings under it.
service.addRule('headings', {
  filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
  replacement: (content, node) => {
    const level = Math.min(4, Math.max(2, Number(node.nodeName.slice(1))));
    const text = content.replace(/\s+/g, ' ').trim();
    return text ? `\n\n${'#'.repeat(level)} ${text}\n\n` : '';
  },
});

// CommonMark closes `**` only where it is "right-flanking": after punctuation it must be followed by space or
// punctuation, which Chinese text never has. `**《民法典》**规定` would show its asterisks, so punctuation at the
// edges of bold or italic text moves outside the delimiters: `《**民法典**》规定`.
const EDGE_PUNCTUATION = /^([^\P{P}*_\\]*)([\s\S]*?)([^\P{P}*_\\]*)$/u;
const emphasis =
  (delimiter: string): TurndownService.ReplacementFunction =>
  (content) => {
    const [, before = '', inner = '', after = ''] = EDGE_PUNCTUATION.exec(content.trim()) ?? [];
    return inner ? `${before}${delimiter}${inner}${delimiter}${after}` : `${before}${after}`;
  };
service.addRule('strong', { filter: ['strong', 'b'], replacement: emphasis('**') });
service.addRule('emphasis', { filter: ['em', 'i'], replacement: emphasis('*') });

service.addRule('images', {
  filter: 'img',
  replacement: (_content, node) => {
    const element = node as HTMLElement;
    const src = (element.getAttribute('src') ?? '').trim();
    if (!src) return '';
    const alt = (element.getAttribute('alt') ?? element.getAttribute('title') ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    collected.push({ src, alt });
    return imageMarker(collected.length - 1);
  },
});

// A link to javascript:, data: or any other unsafe scheme keeps its text and loses its target; markdown-it would
// refuse it anyway, but would leave the raw `[text](javascript:…)` in the page.
service.addRule('links', {
  filter: (node) => node.nodeName === 'A' && Boolean(node.getAttribute('href')),
  replacement: (content, node) => {
    const href = ((node as HTMLElement).getAttribute('href') ?? '').trim();
    const text = content.trim();
    if (!text) return '';
    if (!isSafeHref(href) || href.startsWith('#')) return content;
    const escaped = href.replace(/[()\s<>]/g, (c) => encodeURIComponent(c));
    return `[${text}](${escaped})`;
  },
});

const elementChildren = (node: Node, names: readonly string[]): HTMLElement[] =>
  Array.from(node.childNodes).filter(
    (child): child is HTMLElement => child.nodeType === 1 && names.includes(child.nodeName),
  );

/** The rows of a table in order, through thead/tbody/tfoot, without descending into nested tables. */
function tableRows(table: HTMLElement): HTMLElement[] {
  const rows = elementChildren(table, ['TR']);
  for (const section of elementChildren(table, ['THEAD', 'TBODY', 'TFOOT'])) {
    rows.push(...elementChildren(section, ['TR']));
  }
  return rows;
}

const simpleTables = new WeakMap<Node, boolean>();

/** No merged cells and no table inside: a Markdown table can say the same. */
function isSimpleTable(table: Node): boolean {
  let simple = simpleTables.get(table);
  if (simple === undefined) {
    const rows = tableRows(table as HTMLElement).map((row) => elementChildren(row, ['TD', 'TH']));
    simple =
      rows.length > 0 &&
      rows.some((cells) => cells.length > 0) &&
      (table as HTMLElement).getElementsByTagName('table').length === 0 &&
      !rows.some((cells) =>
        cells.some(
          (c) => Number(c.getAttribute('colspan') ?? 1) > 1 || Number(c.getAttribute('rowspan') ?? 1) > 1,
        ),
      );
    simpleTables.set(table, simple);
  }
  return simple;
}

/** The table a row or cell belongs to (through an optional thead/tbody/tfoot). */
function tableOf(node: Node, depth: number): Node | undefined {
  let current: Node | null = node;
  for (let i = 0; i < depth && current; i++) {
    current = current.parentNode;
    if (current?.nodeName === 'TABLE') return current;
  }
  return undefined;
}

// Cells and rows of a simple table are written with separators the table rule splits on, so every cell's content
// goes through the ordinary rules exactly once (images included).
service.addRule('simpleTableCells', {
  filter: (node) => {
    if (node.nodeName !== 'TD' && node.nodeName !== 'TH') return false;
    const table = tableOf(node, 3);
    return table !== undefined && isSimpleTable(table);
  },
  replacement: (content) =>
    `${CELL}${content
      .replace(/\s*\n+\s*/g, ' ')
      .replace(/\|/g, '\\|')
      .trim()}`,
});
service.addRule('simpleTableRows', {
  filter: (node) => {
    if (node.nodeName !== 'TR') return false;
    const table = tableOf(node, 2);
    return table !== undefined && isSimpleTable(table);
  },
  replacement: (content) => `${ROW}${content}`,
});

// A simple table becomes a Markdown table with its first row as the header, the way old CMS tables are laid out;
// any other table keeps its text, one block per cell.
service.addRule('tables', {
  filter: (node) => node.nodeName === 'TABLE' && isSimpleTable(node),
  replacement: (content) => {
    const rows = content
      .split(ROW)
      .slice(1)
      .map((row) =>
        row
          .split(CELL)
          .slice(1)
          .map((cell) => cell.trim()),
      );
    const width = Math.max(1, ...rows.map((cells) => cells.length));
    const line = (cells: string[]) =>
      `| ${[...cells, ...Array<string>(width - cells.length).fill('')].join(' | ')} |`;
    const [head = [], ...body] = rows;
    return `\n\n${[line(head), line(Array<string>(width).fill('---')), ...body.map(line)].join('\n')}\n\n`;
  },
});

/** Full-width and no-break spaces that old CMS editors used to indent paragraphs: the stylesheet indents now. */
const PARAGRAPH_INDENT = /^[\u00a0\u3000]+/gm;
const TRAILING_SPACES = /[\u00a0\u3000]+$/gm;

/** Converts one body; images come back as markers, in order, with their src and alt as the HTML gave them. */
export function htmlToMarkdown(html: string): ConvertedBody {
  collected = [];
  try {
    const markdown = service
      .turndown(html.replace(PRIVATE_MARKS, ''))
      .replace(PARAGRAPH_INDENT, '')
      .replace(TRAILING_SPACES, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    return { markdown, images: collected };
  } finally {
    collected = [];
  }
}

/** Replaces each image marker with what `imageFor(n)` says: a Markdown image, or a caption when the file is gone. */
export const fillImageMarkers = (markdown: string, imageFor: (n: number) => string): string =>
  markdown.replace(MARKER, (_m, n: string) => imageFor(Number(n)));

/** Text an HTML fragment shows a reader (scripts and styles dropped, tags removed, entities decoded). */
export function htmlText(html: string): string {
  const withoutHidden = html.replace(/<(script|style|noscript|template|iframe)\b[\s\S]*?<\/\1\s*>/gi, ' ');
  return decodeEntities(withoutHidden.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]*>/g, ' '));
}

/** The named entities old CMS text carries (the WordPress source's XML parser decodes the same ones). */
export const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  middot: '·',
  copy: '©',
  reg: '®',
  times: '×',
  yen: '¥',
};

/** Decodes the entities old CMS bodies carry: numeric ones and the common named ones. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}
