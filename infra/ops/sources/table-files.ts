// Tables as phpMyAdmin exports them: CSV (comma, fields enclosed and escaped by `"`, column names in the first row)
// or JSON (its export plugin's array of header, database and table entries), in UTF-8 or GBK.
import iconv from 'iconv-lite';

export type TextEncoding = 'utf8' | 'gbk';

export const isTextEncoding = (value: string): value is TextEncoding => value === 'utf8' || value === 'gbk';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else GBK: old Chinese sites were one or the other. */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  try {
    utf8.decode(bytes);
    return 'utf8';
  } catch {
    return 'gbk';
  }
}

/** Decodes with the given encoding or the detected one; GBK is read as GB18030, its superset. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding = detectEncoding(bytes)): string {
  const text =
    encoding === 'utf8' ? Buffer.from(bytes).toString('utf8') : iconv.decode(Buffer.from(bytes), 'gb18030');
  return text.replace(/^\uFEFF/, '');
}

export type Row = Record<string, string>;

/** RFC 4180 records: quoted fields may hold commas, newlines and doubled quotes. phpMyAdmin writes NULL bare. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const end = text.length;
  while (i < end) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      const next = text.indexOf('"', i);
      const stop = next < 0 ? end : next;
      field += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      field = '';
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** CSV rows keyed by the header row; without one (phpMyAdmin's default) the columns cannot be told apart. */
export function csvRows(text: string, table: string, mustHave: string): Row[] {
  const [header, ...records] = parseCsv(text);
  if (!header?.includes(mustHave)) {
    throw new Error(
      `${table}: the CSV has no header row with "${mustHave}"; export it with "Put columns names in the first row".`,
    );
  }
  return records.map((values) => {
    const row: Row = {};
    header.forEach((name, i) => {
      const value = values[i] ?? '';
      row[name] = value === 'NULL' ? '' : value;
    });
    return row;
  });
}

interface JsonExportEntry {
  readonly type?: string;
  readonly name?: string;
  readonly data?: readonly Record<string, unknown>[];
}

/** Every table in a phpMyAdmin JSON export (or a bare array of rows, named by `fallbackName`). */
export function jsonTables(text: string, fallbackName: string): Map<string, Row[]> {
  const parsed = JSON.parse(text) as unknown;
  const tables = new Map<string, Row[]>();
  const toRows = (data: readonly Record<string, unknown>[]): Row[] =>
    data.map((raw) => {
      const row: Row = {};
      for (const [key, value] of Object.entries(raw)) row[key] = value === null ? '' : String(value);
      return row;
    });
  if (!Array.isArray(parsed)) throw new Error(`${fallbackName}: a JSON export is an array`);
  const entries = parsed as JsonExportEntry[];
  if (entries.some((e) => e?.type === 'table')) {
    for (const entry of entries) {
      if (entry?.type === 'table' && entry.name && Array.isArray(entry.data)) {
        tables.set(entry.name, toRows(entry.data));
      }
    }
  } else {
    tables.set(fallbackName, toRows(parsed as Record<string, unknown>[]));
  }
  return tables;
}
