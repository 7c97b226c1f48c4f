// A scratch file for a streaming source's first pass: what it must keep of the export until the second pass reads it
// (DedeCMS bodies, which a dump may hold before their archive rows), on disk instead of in memory. Appends are
// buffered up to a megabyte; reads are positioned. Spools are removed when their source is done, and at exit.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const FLUSH_BYTES = 1024 * 1024;

const open = new Set<Spool>();
let exitHook = false;

/** Where a text is in the spool: its byte offset and length. */
export interface SpoolRef {
  readonly offset: number;
  readonly length: number;
}

export class Spool {
  readonly #dir: string;
  readonly #fd: number;
  #size = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #closed = false;

  constructor(prefix: string) {
    this.#dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
    this.#fd = openSync(path.join(this.#dir, 'spool'), 'w+');
    open.add(this);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const spool of open) spool.close();
      });
    }
  }

  append(text: string): SpoolRef {
    const bytes = Buffer.from(text, 'utf8');
    const ref = { offset: this.#size, length: bytes.length };
    this.#size += bytes.length;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= FLUSH_BYTES) this.#flush();
    return ref;
  }

  read(ref: SpoolRef): string {
    this.#flush();
    const bytes = Buffer.allocUnsafe(ref.length);
    let done = 0;
    while (done < ref.length) {
      const n = readSync(this.#fd, bytes, done, ref.length - done, ref.offset + done);
      if (n === 0) throw new Error('spool: read past its end');
      done += n;
    }
    return bytes.toString('utf8');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    open.delete(this);
    closeSync(this.#fd);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #flush(): void {
    if (this.#pendingBytes === 0) return;
    const bytes = Buffer.concat(this.#pending);
    const at = this.#size - bytes.length;
    let done = 0;
    while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done, at + done);
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
