// A MySQL dump (mysqldump, phpMyAdmin's SQL export, DedeCMS' own 数据库备份) read as a stream of table rows: the text
// is fed in pieces of any size and each INSERT's rows come out as soon as their closing parenthesis is read, so a dump
// is never held whole, nor is one multi-row INSERT (mysqldump's are up to a megabyte each): what is held is the row
// being read. Column names come from the INSERT's column list or from the table's CREATE TABLE earlier in the dump.
// Every other statement (SET, LOCK TABLES, DROP TABLE, the `/*!40101 … */` version comments) is skipped.

/** One row of an INSERT: its table's name as written (`dede_archives`, `#@__archives`) and its values as text. */
export interface SqlRow {
  readonly table: string;
  /** The INSERT's column list, or the CREATE TABLE's columns; undefined when the dump has neither. */
  readonly columns: readonly string[] | undefined;
  /** Strings unescaped, numbers as written, NULL as ''. */
  readonly values: readonly string[];
}

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

/** MySQL's backslash escapes inside a string; any other escaped character stands for itself. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  // LIKE wildcards keep their backslash (MySQL's rule).
  '%': '\\%',
  _: '\\_',
};

const WORD_CHAR = /[A-Za-z0-9_$@.]/;
const WORD_END = /[^A-Za-z0-9_$@.]/g;
const SPACE = /\s/;

/** Lexer states that span piece boundaries. */
type LexState =
  | { readonly in: 'none' }
  | { readonly in: 'word' }
  | { readonly in: 'string'; readonly quote: string; escape: boolean; quoteSeen: boolean }
  | { readonly in: 'ident'; quoteSeen: boolean }
  | { readonly in: 'line-comment' }
  | { readonly in: 'block-comment'; starSeen: boolean };

const CONSTRAINTS = new Set([
  'PRIMARY',
  'KEY',
  'UNIQUE',
  'INDEX',
  'CONSTRAINT',
  'FULLTEXT',
  'SPATIAL',
  'FOREIGN',
  'CHECK',
  'PERIOD',
]);
const INSERT_MODIFIERS = new Set(['IGNORE', 'INTO', 'LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY']);
const CREATE_MODIFIERS = new Set(['TEMPORARY', 'OR', 'REPLACE']);
const TABLE_MODIFIERS = new Set(['IF', 'NOT', 'EXISTS']);

/** One value of a row as its tokens arrive: a string (possibly after an introducer like `_utf8`), NULL, or other text. */
interface ValueParts {
  str: string | undefined;
  text: string;
}

type ParseState =
  | { readonly at: 'start' }
  | { readonly at: 'skip' }
  | { readonly at: 'insert-head'; table: string; columns: string[] | undefined; inColumns: boolean }
  | {
      readonly at: 'insert-values';
      readonly table: string;
      readonly columns: readonly string[] | undefined;
      depth: number;
      values: string[];
      value: ValueParts;
    }
  | { readonly at: 'create-head'; table: string; sawTable: boolean }
  | {
      readonly at: 'create-columns';
      readonly table: string;
      depth: number;
      expectName: boolean;
      columns: string[];
    };

/**
 * Fed with `write(piece)` in order and `end()` once; each returns the rows completed so far. A string, an identifier,
 * a comment or a word may be split anywhere between two pieces, a backslash escape or a doubled quote included.
 */
export class SqlDumpReader {
  #lex: LexState = { in: 'none' };
  /** The word or string read so far, when a piece ended inside it. */
  #buffer = '';
  /** One character whose meaning depends on the next (`-` of `--`, `/` of `/*`), held from the previous piece. */
  #carry = '';
  #parse: ParseState = { at: 'start' };
  readonly #tables = new Map<string, readonly string[]>();
  #rows: SqlRow[] = [];

  write(piece: string): SqlRow[] {
    const text = this.#carry + piece;
    this.#carry = '';
    this.#scan(text, false);
    return this.#take();
  }

  end(): SqlRow[] {
    const text = this.#carry;
    this.#carry = '';
    this.#scan(text, true);
    const lex = this.#lex;
    if (lex.in === 'word') this.#token({ kind: 'word', text: this.#buffer });
    else if (lex.in === 'string' && lex.quoteSeen) this.#token({ kind: 'string', text: this.#buffer });
    else if (lex.in === 'ident' && lex.quoteSeen) this.#token({ kind: 'ident', text: this.#buffer });
    else if (lex.in === 'string' || lex.in === 'ident')
      throw new Error('the SQL dump ends inside a quoted string: it is cut short');
    this.#lex = { in: 'none' };
    this.#buffer = '';
    if (this.#parse.at === 'insert-values' && this.#parse.depth > 0)
      throw new Error(`the SQL dump ends inside a row of ${this.#parse.table}: it is cut short`);
    return this.#take();
  }

  #take(): SqlRow[] {
    const rows = this.#rows;
    this.#rows = [];
    return rows;
  }

  #scan(text: string, last: boolean): void {
    const end = text.length;
    let i = 0;
    while (i < end) {
      const lex = this.#lex;
      if (lex.in === 'string' || lex.in === 'ident') {
        i = lex.in === 'string' ? this.#scanString(text, i, lex) : this.#scanIdent(text, i, lex);
        continue;
      }
      if (lex.in === 'word') {
        WORD_END.lastIndex = i;
        const stop = WORD_END.exec(text)?.index ?? end;
        this.#buffer += text.slice(i, stop);
        i = stop;
        if (stop < end) {
          this.#lex = { in: 'none' };
          this.#token({ kind: 'word', text: this.#buffer });
          this.#buffer = '';
        }
        continue;
      }
      if (lex.in === 'line-comment') {
        const stop = text.indexOf('\n', i);
        if (stop < 0) return;
        this.#lex = { in: 'none' };
        i = stop + 1;
        continue;
      }
      if (lex.in === 'block-comment') {
        if (lex.starSeen) {
          lex.starSeen = false;
          if (text[i] === '/') {
            this.#lex = { in: 'none' };
            i++;
            continue;
          }
        }
        const star = text.indexOf('*', i);
        if (star < 0) return;
        if (star + 1 >= end) {
          lex.starSeen = true;
          return;
        }
        if (text[star + 1] === '/') {
          this.#lex = { in: 'none' };
          i = star + 2;
        } else i = star + 1;
        continue;
      }
      const c = text[i] ?? '';
      if (SPACE.test(c)) {
        i++;
        continue;
      }
      // `--` starts a comment only when followed by a space or the end of the line; `-1` is a number's sign.
      if (c === '-' || c === '/') {
        if (i + 1 >= end && !last) {
          this.#carry = c;
          return;
        }
        const next = text[i + 1];
        if (c === '-' && next === '-') {
          const after = text[i + 2];
          if (after === undefined && !last) {
            this.#carry = '--';
            return;
          }
          if (after === undefined || SPACE.test(after)) {
            this.#lex = { in: 'line-comment' };
            i += 2;
            continue;
          }
        }
        if (c === '/' && next === '*') {
          this.#lex = { in: 'block-comment', starSeen: false };
          i += 2;
          continue;
        }
      }
      if (c === '#') {
        this.#lex = { in: 'line-comment' };
        i++;
      } else if (c === "'" || c === '"') {
        this.#lex = { in: 'string', quote: c, escape: false, quoteSeen: false };
        this.#buffer = '';
        i++;
      } else if (c === '`') {
        this.#lex = { in: 'ident', quoteSeen: false };
        this.#buffer = '';
        i++;
      } else if (WORD_CHAR.test(c)) {
        this.#lex = { in: 'word' };
        this.#buffer = '';
      } else {
        this.#token({ kind: 'punct', text: c });
        i++;
      }
    }
  }

  /** Reads string text from `i`; returns where it stopped (the end of the piece, or after the closing quote). */
  #scanString(text: string, i: number, lex: LexState & { in: 'string' }): number {
    const end = text.length;
    while (i < end) {
      if (lex.escape) {
        const c = text[i] ?? '';
        this.#buffer += ESCAPES[c] ?? c;
        lex.escape = false;
        i++;
        continue;
      }
      if (lex.quoteSeen) {
        lex.quoteSeen = false;
        if (text[i] === lex.quote) {
          // A doubled quote is one quote.
          this.#buffer += lex.quote;
          i++;
          continue;
        }
        this.#lex = { in: 'none' };
        this.#token({ kind: 'string', text: this.#buffer });
        this.#buffer = '';
        return i;
      }
      const quote = text.indexOf(lex.quote, i);
      const slash = text.indexOf('\\', i);
      const stop = Math.min(quote < 0 ? end : quote, slash < 0 ? end : slash);
      this.#buffer += text.slice(i, stop);
      i = stop;
      if (i >= end) break;
      if (text[i] === '\\') lex.escape = true;
      else lex.quoteSeen = true;
      i++;
    }
    return i;
  }

  #scanIdent(text: string, i: number, lex: LexState & { in: 'ident' }): number {
    const end = text.length;
    while (i < end) {
      if (lex.quoteSeen) {
        lex.quoteSeen = false;
        if (text[i] === '`') {
          this.#buffer += '`';
          i++;
          continue;
        }
        this.#lex = { in: 'none' };
        this.#token({ kind: 'ident', text: this.#buffer });
        this.#buffer = '';
        return i;
      }
      const quote = text.indexOf('`', i);
      const stop = quote < 0 ? end : quote;
      this.#buffer += text.slice(i, stop);
      i = stop;
      if (i >= end) break;
      lex.quoteSeen = true;
      i++;
    }
    return i;
  }

  /** The statement-level reading: which statement this token belongs to, and what it adds to it. */
  #token(token: Token): void {
    const state = this.#parse;
    const word = token.kind === 'word' ? token.text.toUpperCase() : '';
    const isEnd = token.kind === 'punct' && token.text === ';';
    switch (state.at) {
      case 'start':
        if (word === 'INSERT' || word === 'REPLACE')
          this.#parse = { at: 'insert-head', table: '', columns: undefined, inColumns: false };
        else if (word === 'CREATE') this.#parse = { at: 'create-head', table: '', sawTable: false };
        else if (!isEnd) this.#parse = { at: 'skip' };
        return;
      case 'skip':
        if (isEnd) this.#parse = { at: 'start' };
        return;
      case 'insert-head':
        if (isEnd) this.#parse = { at: 'start' };
        else if (state.inColumns) {
          if (token.kind === 'ident' || token.kind === 'word') state.columns?.push(token.text);
          else if (token.text === ')') state.inColumns = false;
        } else if (word === 'VALUES' || word === 'VALUE') {
          this.#parse = {
            at: 'insert-values',
            table: state.table,
            columns: state.columns ?? this.#tables.get(state.table),
            depth: 0,
            values: [],
            value: { str: undefined, text: '' },
          };
        } else if (token.kind === 'punct' && token.text === '(') {
          state.columns = [];
          state.inColumns = true;
        } else if (word === 'SET' || word === 'SELECT') this.#parse = { at: 'skip' };
        else if (token.kind === 'ident' || (token.kind === 'word' && !INSERT_MODIFIERS.has(word)))
          // `db`.`table` arrives as ident, '.', ident; `db.table` as one word: the table is the last part.
          state.table = token.text.split('.').at(-1) ?? token.text;
        return;
      case 'insert-values':
        this.#rowToken(state, token, isEnd);
        return;
      case 'create-head':
        if (isEnd) this.#parse = { at: 'start' };
        else if (!state.sawTable) {
          // CREATE TABLE is read; CREATE DATABASE, VIEW, TRIGGER … are skipped.
          if (word === 'TABLE') state.sawTable = true;
          else if (!CREATE_MODIFIERS.has(word)) this.#parse = { at: 'skip' };
        } else if (token.kind === 'punct' && token.text === '(' && state.table !== '')
          this.#parse = { at: 'create-columns', table: state.table, depth: 1, expectName: true, columns: [] };
        else if (word === 'LIKE' || word === 'AS' || word === 'SELECT') this.#parse = { at: 'skip' };
        else if (token.kind === 'ident' || (token.kind === 'word' && !TABLE_MODIFIERS.has(word)))
          state.table = token.text.split('.').at(-1) ?? token.text;
        return;
      case 'create-columns':
        if (token.kind === 'punct' && token.text === '(') state.depth++;
        else if (token.kind === 'punct' && token.text === ')') {
          state.depth--;
          if (state.depth === 0) {
            this.#tables.set(state.table, state.columns);
            this.#parse = { at: 'skip' };
          }
        } else if (isEnd) this.#parse = { at: 'start' };
        else if (state.depth === 1 && token.kind === 'punct' && token.text === ',') state.expectName = true;
        else if (state.expectName) {
          state.expectName = false;
          if (token.kind === 'ident' || (token.kind === 'word' && !CONSTRAINTS.has(word)))
            state.columns.push(token.text);
        }
        return;
    }
  }

  #rowToken(state: ParseState & { at: 'insert-values' }, token: Token, isEnd: boolean): void {
    if (state.depth === 0) {
      if (isEnd) this.#parse = { at: 'start' };
      else if (token.kind === 'punct' && token.text === '(') {
        state.depth = 1;
        state.values = [];
        state.value = { str: undefined, text: '' };
      } else if (token.kind === 'word') this.#parse = { at: 'skip' }; // ON DUPLICATE KEY UPDATE …
      return;
    }
    const value = state.value;
    if (token.kind === 'punct' && state.depth === 1 && (token.text === ',' || token.text === ')')) {
      state.values.push(value.str ?? (value.text.toUpperCase() === 'NULL' ? '' : value.text));
      state.value = { str: undefined, text: '' };
      if (token.text === ')') {
        state.depth = 0;
        this.#rows.push({ table: state.table, columns: state.columns, values: state.values });
        state.values = [];
      }
      return;
    }
    if (token.kind === 'string') value.str = (value.str ?? '') + token.text;
    else {
      if (token.kind === 'punct' && token.text === '(') state.depth++;
      else if (token.kind === 'punct' && token.text === ')') state.depth--;
      value.text += token.text;
    }
  }
}

/** Rows of a dump read in pieces (`textChunks`), one at a time. */
export function* sqlRowStream(pieces: Iterable<string>): Generator<SqlRow> {
  const reader = new SqlDumpReader();
  for (const piece of pieces) yield* reader.write(piece);
  yield* reader.end();
}
