// DedeCMS (织梦) as phpMyAdmin exports it: dede_archives (the article row), dede_addonarticle (its HTML body) and
// dede_arctype (the column, with its directory and URL rule), in CSV or JSON, UTF-8 or GBK.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { displayTime } from '../../../shared/domain/urls.ts';
import { dedecmsArticleId } from '../../../shared/site-paths.ts';
import type { Source, SourceEntry } from './source.ts';
import { csvRows, decodeText, jsonTables, type Row, type TextEncoding } from './table-files.ts';

const TABLES = ['archives', 'addonarticle', 'arctype'] as const;
type TableName = (typeof TABLES)[number];

/** The tables in `dir`, by their name without the prefix (`dede_` by default, any prefix works). */
export function readDedecmsTables(dir: string, encoding?: TextEncoding): Record<TableName, Row[]> {
  const found: Partial<Record<TableName, Row[]>> = {};
  const suffixOf = (name: string) => TABLES.find((t) => name === t || name.endsWith(`_${t}`));
  for (const file of readdirSync(dir).sort()) {
    const ext = path.extname(file).toLowerCase();
    if (ext !== '.csv' && ext !== '.json') continue;
    const text = decodeText(readFileSync(path.join(dir, file)), encoding);
    const base = path.basename(file, ext);
    if (ext === '.json') {
      for (const [name, rows] of jsonTables(text, base)) {
        const table = suffixOf(name);
        if (table) found[table] = rows;
      }
    } else {
      const table = suffixOf(base);
      if (table) found[table] = csvRows(text, file, table === 'addonarticle' ? 'aid' : 'id');
    }
  }
  const missing = TABLES.filter((t) => !found[t]);
  if (missing.length > 0) {
    throw new Error(`${dir}: no ${missing.map((t) => `dede_${t}`).join(', ')} export (.csv or .json) found`);
  }
  return found as Record<TableName, Row[]>;
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
  readonly dir: string;
  readonly channels: ReadonlyMap<string, string>;
  readonly encoding?: TextEncoding;
}

export function dedecmsSource(options: DedecmsOptions): Source {
  const tables = readDedecmsTables(options.dir, options.encoding);
  const bodies = new Map(tables.addonarticle.map((row) => [row.aid ?? '', row.body ?? '']));
  const types = new Map(tables.arctype.map((row) => [row.id ?? '', row]));
  const channelFor = (typeid: string, type: Row | undefined) =>
    options.channels.get(typeid) ?? (type?.typedir ? options.channels.get(type.typedir) : undefined);

  function* entries(): Iterable<SourceEntry> {
    for (const row of tables.archives) {
      const aid = row.id ?? '';
      const ref = `aid ${aid}`;
      if (!/^\d{1,14}$/.test(aid)) {
        yield { kind: 'failed', ref, reason: `id "${aid}" is not a DedeCMS article id` };
        continue;
      }
      const typeid = row.typeid ?? '';
      const type = types.get(typeid);
      const rank = Number(row.arcrank ?? 0);
      if (rank < 0) {
        yield { kind: 'skipped', ref, reason: rank === -2 ? 'in the recycle bin' : 'not approved (未审核)' };
        continue;
      }
      const channel = channelFor(typeid, type);
      if (!channel) {
        yield {
          kind: 'skipped',
          ref,
          reason: `column ${typeid}${type?.typename ? ` (${type.typename})` : ''} has no channel in the map`,
        };
        continue;
      }
      const body = bodies.get(aid);
      if (body === undefined) {
        yield { kind: 'failed', ref, reason: 'no body in dede_addonarticle' };
        continue;
      }
      const pubdate = Number(row.pubdate ?? row.senddate);
      if (!Number.isSafeInteger(pubdate) || pubdate <= 0) {
        yield { kind: 'failed', ref, reason: `pubdate "${row.pubdate}" is not a unix time` };
        continue;
      }
      const oldUrl = type ? dedecmsUrl(type, aid, pubdate) : undefined;
      yield {
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
          body,
          html: true,
          oldUrls: oldUrl ? [oldUrl] : [],
          ...(oldUrl ? { baseUrl: oldUrl } : {}),
        },
      };
    }
  }

  return {
    description: `DedeCMS export ${options.dir} (${tables.archives.length} archives)`,
    count: tables.archives.length,
    entries: entries(),
    uploadPath: '/uploads/',
    dedecmsRule: true,
  };
}
