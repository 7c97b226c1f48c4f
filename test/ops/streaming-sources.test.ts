// The streaming readers under the WordPress and DedeCMS sources: fed the same export in pieces of any size (one
// character, random sizes, the whole), they must give the same rows and items; and the sources built on them give
// the entries the whole-file parse gave.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { dedecmsSource, readDedecmsTables } from '#infra/ops/sources/dedecms.ts';
import type { Source, SourceEntry } from '#infra/ops/sources/source.ts';
import { SqlDumpReader, type SqlRow } from '#infra/ops/sources/sql-dump.ts';
import { CsvReader, parseCsv, textChunks } from '#infra/ops/sources/table-files.ts';
import { scanWxr, WxrReader, wordpressSource } from '#infra/ops/sources/wordpress.ts';
import {
  dedecmsChannels,
  dedecmsRows,
  dedecmsTypes,
  toCsv,
  toMysqlDump,
  wordpressChannels,
  wordpressPosts,
  wxr,
} from '../fixtures/migration/generate.ts';

const work = mkdtempSync(path.join(tmpdir(), 'streaming-sources-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `text` cut at the given sizes (cycled), the last piece whatever is left. */
function pieces(text: string, sizes: readonly number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (let n = 0; at < text.length; n++) {
    const size = Math.max(1, sizes[n % sizes.length] ?? 1);
    out.push(text.slice(at, at + size));
    at += size;
  }
  return out;
}

function readSql(parts: readonly string[]): SqlRow[] {
  const reader = new SqlDumpReader();
  const rows: SqlRow[] = [];
  for (const part of parts) rows.push(...reader.write(part));
  rows.push(...reader.end());
  return rows;
}

const entriesOf = (source: Source): SourceEntry[] => [...source.entries];

// A mysqldump in miniature: version comments, DROP/LOCK, a CREATE TABLE whose column definitions hold commas and
// parentheses, multi-row INSERTs, and strings with every escape that matters.
const DUMP = `-- MySQL dump 10.13  Distrib 5.7.44
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
--
-- Table structure for table \`dede_addonarticle\`
--
DROP TABLE IF EXISTS \`dede_addonarticle\`;
CREATE TABLE \`dede_addonarticle\` (
  \`aid\` mediumint(8) unsigned NOT NULL DEFAULT '0',
  \`typeid\` smallint(5) unsigned NOT NULL DEFAULT '0' COMMENT 'a, (comment); with ''quotes''',
  \`body\` mediumtext,
  \`kind\` enum('a','b,c') DEFAULT 'a',
  PRIMARY KEY (\`aid\`),
  KEY \`typeid\` (\`typeid\`)
) ENGINE=MyISAM DEFAULT CHARSET=gbk;
LOCK TABLES \`dede_addonarticle\` WRITE;
INSERT INTO \`dede_addonarticle\` VALUES (1,2,'<p>It\\'s a \\"quote\\"; then a semicolon</p>\\r\\n<p>line two</p>','a'),(2,2,'two '' quotes, a backslash \\\\ and a tab\\t;','b,c'),
(3,-1,NULL,_utf8mb4'intro'),(4,0x41,'# not a comment -- nor this /* nor */ this','a');
UNLOCK TABLES;
# a hash comment with a 'quote
INSERT INTO dede_arctype (\`id\`, typedir, \`namerule\`) VALUES (5, '{cmspath}/a/news', '{typedir}/{Y}{M}{D}/{aid}.html');
INSERT INTO \`db\`.\`dede_archives\` (\`id\`,\`title\`) VALUES (1,'标题；含分号'), (2, "double ""quoted"" title");
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
`;

const EXPECTED: SqlRow[] = [
  {
    table: 'dede_addonarticle',
    columns: ['aid', 'typeid', 'body', 'kind'],
    values: ['1', '2', '<p>It\'s a "quote"; then a semicolon</p>\r\n<p>line two</p>', 'a'],
  },
  {
    table: 'dede_addonarticle',
    columns: ['aid', 'typeid', 'body', 'kind'],
    values: ['2', '2', "two ' quotes, a backslash \\ and a tab\t;", 'b,c'],
  },
  {
    table: 'dede_addonarticle',
    columns: ['aid', 'typeid', 'body', 'kind'],
    values: ['3', '-1', '', 'intro'],
  },
  {
    table: 'dede_addonarticle',
    columns: ['aid', 'typeid', 'body', 'kind'],
    values: ['4', '0x41', '# not a comment -- nor this /* nor */ this', 'a'],
  },
  {
    table: 'dede_arctype',
    columns: ['id', 'typedir', 'namerule'],
    values: ['5', '{cmspath}/a/news', '{typedir}/{Y}{M}{D}/{aid}.html'],
  },
  { table: 'dede_archives', columns: ['id', 'title'], values: ['1', '标题；含分号'] },
  { table: 'dede_archives', columns: ['id', 'title'], values: ['2', 'double "quoted" title'] },
];

describe('the SQL dump reader', () => {
  it('reads rows of multi-row INSERTs with escapes, quotes, semicolons and newlines inside strings', () => {
    expect(readSql([DUMP])).toEqual(EXPECTED);
  });

  it('gives the same rows whatever the pieces: one character at a time, and random cuts', () => {
    expect(readSql(pieces(DUMP, [1]))).toEqual(EXPECTED);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        expect(readSql(pieces(DUMP, sizes))).toEqual(EXPECTED);
      }),
    );
  });

  it('cuts a statement at every position between two pieces and still reads it', () => {
    const statement = `INSERT INTO t (a,b) VALUES ('x\\'y;\\\\','--z'),(-1,'a''b');\n-- c\n/* d */`;
    const whole = readSql([statement]);
    expect(whole.map((r) => r.values)).toEqual([
      ["x'y;\\", '--z'],
      ['-1', "a'b"],
    ]);
    for (let cut = 1; cut < statement.length; cut++)
      expect(readSql([statement.slice(0, cut), statement.slice(cut)])).toEqual(whole);
  });

  it('reads back any string the dump escapes', () => {
    // mysqldump's escaping: NUL, newline, return, ^Z, backslash and both quotes.
    const special: Record<string, string> = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\u001a': '\\Z' };
    const quote = (s: string) =>
      `'${[...s].map((c) => special[c] ?? (c === '\\' || c === "'" || c === '"' ? `\\${c}` : c)).join('')}'`;
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 7 }),
        (values, size) => {
          const sql = `INSERT INTO t (${values.map((_, i) => `c${i}`).join(',')}) VALUES (${values.map(quote).join(',')});`;
          expect(readSql(pieces(sql, [size])).map((r) => r.values)).toEqual([values]);
        },
      ),
    );
  });

  it('says so when the dump is cut short inside a string or a row', () => {
    expect(() => readSql(["INSERT INTO t (a) VALUES ('open"])).toThrow(/cut short/);
    expect(() => readSql(['INSERT INTO t (a) VALUES (1,'])).toThrow(/cut short/);
  });
});

describe('the CSV reader', () => {
  it('gives the same records in any pieces as parseCsv does whole (quotes, doubled quotes, CRLF)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ a: fc.string(), b: fc.string() }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 10 }),
        (rows, sizes) => {
          const text = toCsv(rows).replace(/\n/g, '\r\n');
          const reader = new CsvReader();
          const records = pieces(text, sizes).flatMap((p) => reader.write(p));
          records.push(...reader.end());
          expect(records).toEqual(parseCsv(text));
        },
      ),
    );
  });
});

describe('the WXR reader', () => {
  const posts = wordpressPosts(30, ['/wp-content/uploads/2021/03/court.jpg']);
  const first = posts[0];
  if (first) posts[0] = { ...first, title: 'TITLE-WITH-ENTITIES', content: 'a]]>b\u0001' };
  // Entities as a WXR writes them in plain text: XML's, numeric ones, and HTML ones the tree parser used to decode.
  const xml = wxr(posts).replace('TITLE-WITH-ENTITIES', 'AT&amp;T &nbsp;&hellip; &#8217;');

  const itemsOf = (parts: readonly string[]) => {
    const reader = new WxrReader('export.xml');
    const items = parts.flatMap((p) => reader.write(p));
    items.push(...reader.end());
    return { items, channel: reader.channel };
  };

  it('gives the same items fed one character at a time, in random pieces, or whole', () => {
    const whole = itemsOf([xml]);
    expect(whole.items).toHaveLength(posts.length);
    expect(whole.items[0]?.fields.get('title')).toBe('AT&T \u00a0… ’');
    expect(whole.items[0]?.fields.get('content:encoded')).toBe('a]]>b\u0001');
    expect(whole.channel.authors.get('wangmin')).toBe('王敏');
    expect(itemsOf(pieces(xml, [1]))).toEqual(whole);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 20 }), (sizes) => {
        expect(itemsOf(pieces(xml, sizes))).toEqual(whole);
      }),
      { numRuns: 30 },
    );
  });

  it('reads a file in chunks that cut characters and tags, and counts its items without parsing', () => {
    const file = path.join(work, 'export.xml');
    writeFileSync(file, xml);
    expect(scanWxr(file)).toEqual({ items: posts.length, channel: true });
    const source = wordpressSource({ file, channels: new Map(Object.entries(wordpressChannels)) });
    expect(source.count).toBe(posts.length);
    const entries = entriesOf(source);
    expect(entries).toHaveLength(posts.length);
    // The same entries from a file read 7 bytes at a time (multi-byte characters split across reads).
    const seven = itemsOf([...textChunks(file, 'utf8', 7)]).items;
    expect(seven).toEqual(itemsOf([xml]).items);
  });

  it('refuses a file that is not a WordPress export before reading it', () => {
    const file = path.join(work, 'not.xml');
    writeFileSync(file, '<?xml version="1.0"?><html><body/></html>');
    expect(() => wordpressSource({ file, channels: new Map() })).toThrow(/not a WordPress export/);
  });
});

describe('DedeCMS from an SQL dump', () => {
  it('joins bodies written before their rows, in GBK, and gives what the CSV export gives', () => {
    const rows = dedecmsRows(40, ['/uploads/allimg/190201/1.jpg']);
    // mysqldump's order: tables by name, so the bodies (addonarticle) come before their archive rows.
    const dump =
      toMysqlDump('dede_addonarticle', rows.addonarticle, 7) +
      toMysqlDump('dede_archives', rows.archives, 7) +
      toMysqlDump(
        'dede_arctype',
        dedecmsTypes.map((t) => ({ ...t })),
      );
    const sqlFile = path.join(work, 'dede.sql');
    writeFileSync(sqlFile, iconv.encode(dump, 'gbk'));
    const csvDir = path.join(work, 'csv');
    mkdirSync(csvDir, { recursive: true });
    const tables = { ...rows, arctype: dedecmsTypes.map((t) => ({ ...t })) };
    for (const [table, tableRows] of Object.entries(tables))
      writeFileSync(path.join(csvDir, `dede_${table}.csv`), iconv.encode(toCsv(tableRows), 'gbk'));
    const channels = new Map(Object.entries(dedecmsChannels));
    const fromSql = dedecmsSource({ input: sqlFile, channels });
    expect(fromSql.count).toBe(40);
    const entries = entriesOf(fromSql);
    expect(entries.filter((e) => e.kind === 'article').length).toBeGreaterThan(30);
    expect(entries.filter((e) => e.kind === 'failed')).toEqual([]);
    expect(entries).toEqual(entriesOf(dedecmsSource({ input: csvDir, channels })));
    const read = readDedecmsTables(sqlFile);
    expect(read.archives).toHaveLength(40);
    expect(read.addonarticle.map((r) => r.body)).toEqual(rows.addonarticle.map((r) => r.body));
  });
});
