// DedeCMS (织梦) as phpMyAdmin or mysqldump export it: dede_archives (the article row), dede_addonarticle (its HTML
// body) and dede_arctype (the column, with its directory and URL rule), in CSV, JSON or an SQL dump, UTF-8 or GBK.
// CSV and SQL files are read as streams (table-files.ts, sql-dump.ts); a first pass puts the archive rows and the
// bodies in a spool on disk, so the join holds an index of the bodies (aid → where its text is), not the bodies.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { displayTime } from '../../../shared/domain/urls.ts';
import { dedecmsArticleId } from '../../../shared/site-paths.ts';
import type { Source, SourceEntry } from './source.ts';
import { Spool, type SpoolRef } from './spool.ts';
import { sqlRowStream } from './sql-dump.ts';
import {
  csvRowStream,
  decodeText,
  jsonTables,
  type Row,
  type TextEncoding,
  textChunks,
} from './table-files.ts';

const TABLES = ['archives', 'addonarticle', 'arctype'] as const;
type TableName = (typeof TABLES)[number];

/** The table a file or an INSERT names, by its name without the prefix (`dede_`, DedeCMS' own `#@__`, any prefix). */
const tableOf = (name: string): TableName | undefined =>
  TABLES.find((t) => name === t || name.endsWith(`_${t}`));

const EXPORT_FILE = /\.(csv|json|sql)$/i;

/** The export's files: a directory's .csv, .json and .sql files in name order, or one .sql dump. */
export function dedecmsExportFiles(input: string): string[] {
  if (!statSync(input).isDirectory()) return [input];
  return readdirSync(input)
    .sort()
    .filter((file) => EXPORT_FILE.test(file))
    .map((file) => path.join(input, file));
}

/**
 * The rows of the three tables in one export file, one at a time. CSV and SQL are streamed (a row is held while it is
 * read); a JSON export is parsed whole, as phpMyAdmin's JSON is one array: fine for dede_arctype, and for the other
 * tables of a small site. Rows of a table spread over several files (a dump split in parts) all count.
 */
export function* dedecmsRows(
  file: string,
  encoding?: TextEncoding,
): Generator<{ table: TableName; row: Row }> {
  const ext = path.extname(file).toLowerCase();
  const base = path.basename(file, ext);
  if (ext === '.json') {
    for (const [name, rows] of jsonTables(decodeText(readFileSync(file), encoding), base)) {
      const table = tableOf(name);
      if (table) for (const row of rows) yield { table, row };
    }
  } else if (ext === '.csv') {
    const table = tableOf(base);
    if (!table) return;
    const name = path.basename(file);
    for (const row of csvRowStream(textChunks(file, encoding), name, table === 'addonarticle' ? 'aid' : 'id'))
      yield { table, row };
  } else {
    for (const { table: name, columns, values } of sqlRowStream(textChunks(file, encoding))) {
      const table = tableOf(name);
      if (!table) continue;
      if (!columns) {
        throw new Error(
          `${path.basename(file)}: INSERT INTO ${name} has no column list and no CREATE TABLE ${name} before it`,
        );
      }
      const row: Row = {};
      columns.forEach((column, i) => {
        row[column] = values[i] ?? '';
      });
      yield { table, row };
    }
  }
}

/**
 * Every row of the three tables in the export, in file order, to `each`; then refuses an export that lacks one of
 * them (a CSV file names its table even when it has no rows).
 */
function forEachDedecmsRow(
  input: string,
  encoding: TextEncoding | undefined,
  each: (table: TableName, row: Row) => void,
): void {
  const seen = new Set<TableName>();
  for (const file of dedecmsExportFiles(input)) {
    const named = tableOf(path.basename(file, path.extname(file)));
    if (named && path.extname(file).toLowerCase() === '.csv') seen.add(named);
    for (const { table, row } of dedecmsRows(file, encoding)) {
      seen.add(table);
      each(table, row);
    }
  }
  const missing = TABLES.filter((t) => !seen.has(t));
  if (missing.length > 0) {
    throw new Error(
      `${input}: no ${missing.map((t) => `dede_${t}`).join(', ')} export (.csv, .json or .sql) found`,
    );
  }
}

/** The three tables read whole (for tests and small exports); the import streams them instead (dedecmsSource). */
export function readDedecmsTables(input: string, encoding?: TextEncoding): Record<TableName, Row[]> {
  const found: Record<TableName, Row[]> = { archives: [], addonarticle: [], arctype: [] };
  forEachDedecmsRow(input, encoding, (table, row) => found[table].push(row));
  return found;
}

/** The site-time-zone date parts DedeCMS puts in its URLs. */
function dateTokens(unix: number): { Y: string; M: string; D: string } {
  const shown = displayTime(new Date(unix * 1000).toISOString());
  return { Y: shown.slice(0, 4), M: shown.slice(5, 7), D: shown.slice(8, 10) };
}

/**
 * An article's old URL from its column's naming rule, as DedeCMS' GetFileName builds it. `{pinyin}`/`{py}` name
 * the file after the title's pinyin, which cannot be recomputed here: those articles get no old URL.
 */
export function dedecmsUrl(type: Row, aid: string, pubdate: number): string | undefined {
  const typedir = (type.typedir ?? '').replace(/\{cmspath\}/gi, '').replace(/\/+$/, '');
  const rule = (type.namerule ?? '').trim() || '{typedir}/{Y}{M}{D}/{aid}.html';
  if (/\{(pinyin|py)\}/i.test(rule)) return undefined;
  const { Y, M, D } = dateTokens(pubdate);
  const url = rule
    .replace(/\{typedir\}/gi, typedir)
    .replace(/\{Y\}/g, Y)
    .replace(/\{M\}/g, M)
    .replace(/\{D\}/g, D)
    .replace(/\{timestamp\}/gi, String(pubdate))
    .replace(/\{aid\}/gi, aid)
    .replace(/\{cc\}/gi, aid);
  if (/[{}]/.test(url)) return undefined;
  return `/${url.replace(/^\/+/, '')}`;
}

export interface DedecmsOptions {
  /** A directory of table exports, or one SQL dump. */
  readonly input: string;
  readonly channels: ReadonlyMap<string, string>;
  readonly encoding?: TextEncoding;
}

export function dedecmsSource(options: DedecmsOptions): Source {
  // First pass: the column table kept (a few dozen rows), the archive rows and bodies spooled, in export order.
  const spool = new Spool('dedecms-import');
  const archives: SpoolRef[] = [];
  const bodies = new Map<string, SpoolRef>();
  const types = new Map<string, Row>();
  try {
    forEachDedecmsRow(options.input, options.encoding, (table, row) => {
      if (table === 'archives') archives.push(spool.append(JSON.stringify(row)));
      else if (table === 'addonarticle') bodies.set(row.aid ?? '', spool.append(row.body ?? ''));
      else types.set(row.id ?? '', row);
    });
  } catch (error) {
    spool.close();
    throw error;
  }
  const channelFor = (typeid: string, type: Row | undefined) =>
    options.channels.get(typeid) ?? (type?.typedir ? options.channels.get(type.typedir) : undefined);

  function* entries(): Iterable<SourceEntry> {
    try {
      for (const ref of archives) yield entryOf(JSON.parse(spool.read(ref)) as Row);
    } finally {
      spool.close();
    }
  }

  function entryOf(row: Row): SourceEntry {
    const aid = row.id ?? '';
    const ref = `aid ${aid}`;
    if (!/^\d{1,14}$/.test(aid)) {
      return { kind: 'failed', ref, reason: `id "${aid}" is not a DedeCMS article id` };
    }
    const typeid = row.typeid ?? '';
    const type = types.get(typeid);
    const rank = Number(row.arcrank ?? 0);
    if (rank < 0) {
      return { kind: 'skipped', ref, reason: rank === -2 ? 'in the recycle bin' : 'not approved (未审核)' };
    }
    const channel = channelFor(typeid, type);
    if (!channel) {
      return {
        kind: 'skipped',
        ref,
        reason: `column ${typeid}${type?.typename ? ` (${type.typename})` : ''} has no channel in the map`,
      };
    }
    const bodyRef = bodies.get(aid);
    if (bodyRef === undefined) return { kind: 'failed', ref, reason: 'no body in dede_addonarticle' };
    const pubdate = Number(row.pubdate ?? row.senddate);
    if (!Number.isSafeInteger(pubdate) || pubdate <= 0) {
      return { kind: 'failed', ref, reason: `pubdate "${row.pubdate}" is not a unix time` };
    }
    const oldUrl = type ? dedecmsUrl(type, aid, pubdate) : undefined;
    return {
      kind: 'article',
      article: {
        ref,
        data: {
          id: dedecmsArticleId(aid),
          title: row.title ?? '',
          channel,
          author: row.writer ?? '',
          source: row.source ?? '',
          summary: row.description ?? '',
          publishedAt: new Date(pubdate * 1000).toISOString().replace(/\.000Z$/, 'Z'),
          views: row.click || '0',
        },
        body: spool.read(bodyRef),
        html: true,
        oldUrls: oldUrl ? [oldUrl] : [],
        ...(oldUrl ? { baseUrl: oldUrl } : {}),
      },
    };
  }

  return {
    description: `DedeCMS export ${options.input} (${archives.length} archives)`,
    count: archives.length,
    entries: entries(),
    uploadPath: '/uploads/',
    dedecmsRule: true,
  };
}
