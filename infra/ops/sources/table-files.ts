// Tables as phpMyAdmin exports them: CSV (comma, fields enclosed and escaped by `"`, column names in the first row)
// or JSON (its export plugin's array of header, database and table entries), in UTF-8 or GBK.
import { closeSync, openSync, readSync } from 'node:fs';
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

/** Bytes read per chunk from an export file: what a streaming source holds of the file at a time. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * A file's bytes, `size` at a time, read synchronously: a source is iterated synchronously, one batch of entries at a
 * time (infra/ops/import.ts), so its reads happen inside the batch that asks for them. The file is closed when the
 * generator ends or is returned early.
 */
export function* fileChunks(file: string, size = CHUNK_BYTES): Generator<Buffer> {
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(size);
      const n = readSync(fd, buffer, 0, size, null);
      if (n === 0) return;
      yield n === size ? buffer : buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** `detectEncoding` for a file, validated chunk by chunk instead of read whole. */
export function detectFileEncoding(file: string): TextEncoding {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for (const chunk of fileChunks(file)) decoder.decode(chunk, { stream: true });
    decoder.decode();
    return 'utf8';
  } catch {
    return 'gbk';
  }
}

/**
 * A file's text chunk by chunk (`decodeText`'s rules: a BOM is dropped, GBK is read as GB18030). The decoders keep
 * a character split across two chunks whole.
 */
export function* textChunks(
  file: string,
  encoding: TextEncoding = detectFileEncoding(file),
  size = CHUNK_BYTES,
): Generator<string> {
  const decoder =
    encoding === 'utf8'
      ? (() => {
          const utf = new TextDecoder('utf-8', { ignoreBOM: true });
          return { write: (b: Buffer) => utf.decode(b, { stream: true }), end: () => utf.decode() };
        })()
      : iconv.getDecoder('gb18030');
  let first = true;
  for (const chunk of fileChunks(file, size)) {
    let text = decoder.write(chunk);
    if (first && text !== '') {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    if (text !== '') yield text;
  }
  const rest = decoder.end() ?? '';
  if (rest !== '') yield first ? rest.replace(/^\uFEFF/, '') : rest;
}

/**
 * RFC 4180 records fed in pieces: quoted fields may hold commas, newlines and doubled quotes, and any of them may be
 * split between two pieces. `write` returns the records its piece completed; `end` the last one. phpMyAdmin writes
 * NULL bare. Blank lines are no records.
 */
export class CsvReader {
  #record: string[] = [];
  #field = '';
  #quoted = false;
  /** Inside quotes, a `"` whose meaning (doubled quote or closing quote) the next character decides. */
  #quoteSeen = false;
  /** A `\r` ended the last piece: a `\n` opening the next belongs to it. */
  #skipLf = false;
  #out: string[][] = [];

  write(text: string): string[][] {
    let i = 0;
    const end = text.length;
    if (this.#skipLf && end > 0) {
      this.#skipLf = false;
      if (text[0] === '\n') i = 1;
    }
    while (i < end) {
      if (this.#quoteSeen) {
        this.#quoteSeen = false;
        if (text[i] === '"') {
          this.#field += '"';
          i++;
        } else this.#quoted = false;
        continue;
      }
      const c = text[i];
      if (this.#quoted) {
        if (c === '"') {
          this.#quoteSeen = true;
          i++;
          continue;
        }
        const next = text.indexOf('"', i);
        const stop = next < 0 ? end : next;
        this.#field += text.slice(i, stop);
        i = stop;
      } else if (c === '"' && this.#field === '') {
        this.#quoted = true;
        i++;
      } else if (c === ',') {
        this.#record.push(this.#field);
        this.#field = '';
        i++;
      } else if (c === '\n' || c === '\r') {
        this.#endRecord();
        if (c === '\r') {
          if (i + 1 >= end) this.#skipLf = true;
          else if (text[i + 1] === '\n') i++;
        }
        i++;
      } else {
        PLAIN.lastIndex = i;
        const stop = PLAIN.exec(text)?.index ?? end;
        this.#field += text.slice(i, stop);
        i = stop;
      }
    }
    return this.#take();
  }

  end(): string[][] {
    this.#quoteSeen = false;
    this.#quoted = false;
    if (this.#field !== '' || this.#record.length > 0) {
      this.#record.push(this.#field);
      this.#out.push(this.#record);
    }
    this.#record = [];
    this.#field = '';
    return this.#take();
  }

  #endRecord(): void {
    this.#record.push(this.#field);
    this.#field = '';
    if (this.#record.length > 1 || this.#record[0] !== '') this.#out.push(this.#record);
    this.#record = [];
  }

  #take(): string[][] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}

/** Where an unquoted run of field text stops. */
const PLAIN = /[,\r\n]/g;

/** RFC 4180 records of a whole text (CsvReader fed at once). */
export function parseCsv(text: string): string[][] {
  const reader = new CsvReader();
  return [...reader.write(text), ...reader.end()];
}

/** Values keyed by the header's names; phpMyAdmin's bare NULL reads as empty. */
const rowOf = (header: readonly string[], values: readonly string[]): Row => {
  const row: Row = {};
  header.forEach((name, i) => {
    const value = values[i] ?? '';
    row[name] = value === 'NULL' ? '' : value;
  });
  return row;
};

/** The header check of csvRows, with its message. */
function checkHeader(
  header: readonly string[] | undefined,
  table: string,
  mustHave: string,
): readonly string[] {
  if (!header?.includes(mustHave)) {
    throw new Error(
      `${table}: the CSV has no header row with "${mustHave}"; export it with "Put columns names in the first row".`,
    );
  }
  return header;
}

/** CSV rows of text read in pieces (`textChunks`), one row at a time: a file is never held whole. */
export function* csvRowStream(pieces: Iterable<string>, table: string, mustHave: string): Generator<Row> {
  const reader = new CsvReader();
  let header: readonly string[] | undefined;
  const rowsOf = function* (records: string[][]): Generator<Row> {
    for (const record of records) {
      if (!header) header = checkHeader(record, table, mustHave);
      else yield rowOf(header, record);
    }
  };
  for (const piece of pieces) yield* rowsOf(reader.write(piece));
  yield* rowsOf(reader.end());
  if (!header) checkHeader(undefined, table, mustHave);
}

/** CSV rows keyed by the header row; without one (phpMyAdmin's default) the columns cannot be told apart. */
export function csvRows(text: string, table: string, mustHave: string): Row[] {
  return [...csvRowStream([text], table, mustHave)];
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
