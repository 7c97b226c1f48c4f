// DynamoDB Streams emulation for the local runtime. dynalite has no streams, so the DynamoDB proxy hands every
// successful write to a stream-enabled table to `publish`; this class journals it, filters it and delivers it to
// the consumer in batches with the same settings as the deployed event source mapping (shared/stream-settings.ts).
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Logger } from '../../shared/log.ts';
import { type FilterPattern, passesFilters } from './stream-filter.ts';

export interface StreamSettings {
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly retryAttempts: number;
  readonly bisectBatchOnError: boolean;
  readonly reportBatchItemFailures: boolean;
}

export type StreamConsumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamEmulatorOptions {
  readonly settings: StreamSettings;
  readonly filters: readonly FilterPattern[];
  readonly consumer: StreamConsumer;
  /** Journal directory: records survive a crash between the write and the delivery. */
  readonly directory: string;
  readonly log: Logger;
  /**
   * Locally there is no polling cost, so a batch is also closed once writes have been quiet this long; the
   * deployed window stays the upper bound. This keeps publish-to-page latency low without changing batching.
   */
  readonly idleFlushMs?: number;
  /** Pause before redelivering a failed batch. */
  readonly retryDelayMs?: number;
}

class StoppedError extends Error {}

interface Journaled {
  readonly seq: number;
  readonly record: DynamoDBRecord;
}

export class StreamEmulator {
  private queue: Journaled[] = [];
  private nextSeq = 1;
  private delivering: Promise<void> | undefined;
  private windowTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly journal: string;
  private readonly checkpoint: string;
  private readonly dlqDir: string;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  /** Counts for tests and ops: records delivered, and records sent to the DLQ. */
  readonly stats = { delivered: 0, deadLettered: 0, batches: 0 };

  constructor(private readonly options: StreamEmulatorOptions) {
    mkdirSync(options.directory, { recursive: true });
    this.journal = path.join(options.directory, 'journal.jsonl');
    this.checkpoint = path.join(options.directory, 'checkpoint');
    this.dlqDir = path.join(options.directory, 'dlq');
    this.recover();
  }

  /** Records written before a crash and never delivered are queued again, in their original order. */
  private recover(): void {
    const done = existsSync(this.checkpoint) ? Number(readFileSync(this.checkpoint, 'utf8')) || 0 : 0;
    if (!existsSync(this.journal)) {
      this.nextSeq = done + 1;
      return;
    }
    const lines = readFileSync(this.journal, 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as Journaled;
        this.nextSeq = Math.max(this.nextSeq, entry.seq + 1);
        if (entry.seq > done) this.queue.push(entry);
      } catch {
        // A torn last line from a crash mid-append: the write it describes was never acknowledged to its caller.
      }
    }
    this.nextSeq = Math.max(this.nextSeq, done + 1);
    if (this.queue.length > 0) {
      this.options.log.info('stream: replaying undelivered records', { count: this.queue.length });
      this.schedule();
    }
  }

  /** Called by the proxy after a write succeeded, before the caller gets its response. */
  publish(
    record: Omit<DynamoDBRecord, 'dynamodb'> & { dynamodb: NonNullable<DynamoDBRecord['dynamodb']> },
  ): void {
    const seq = this.nextSeq++;
    const full: DynamoDBRecord = {
      ...record,
      eventID: `${seq.toString(16).padStart(32, '0')}`,
      dynamodb: { ...record.dynamodb, SequenceNumber: seq.toString().padStart(21, '0') },
    };
    const entry = { seq, record: full };
    appendFileSync(this.journal, `${JSON.stringify(entry)}\n`);
    this.queue.push(entry);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    const { batchSize, maxBatchingWindowSeconds } = this.options.settings;
    if (this.queue.length >= batchSize) {
      this.flush();
      return;
    }
    if (!this.windowTimer) {
      this.windowTimer = setTimeout(() => this.flush(), maxBatchingWindowSeconds * 1000);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.flush(), this.options.idleFlushMs ?? 25);
  }

  private flush(): void {
    clearTimeout(this.windowTimer);
    clearTimeout(this.idleTimer);
    this.windowTimer = undefined;
    this.idleTimer = undefined;
    if (this.delivering || this.queue.length === 0) return;
    this.delivering = this.drain().finally(() => {
      this.delivering = undefined;
      if (this.queue.length > 0 && !this.stopped) this.schedule();
      else this.notifyIdle();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.queue.splice(0, this.options.settings.batchSize);
      const wanted = batch.filter((entry) => passesFilters(entry.record, this.options.filters));
      try {
        if (wanted.length > 0) await this.deliver(wanted, 0);
      } catch (error) {
        if (!(error instanceof StoppedError)) throw error;
        // Not committed: the journal still holds the batch, and the next start replays it.
        return;
      }
      const last = batch[batch.length - 1];
      if (last) this.commit(last.seq);
    }
  }

  /**
   * Delivers with Lambda's semantics: partial failures retry from the first failed record; a thrown error
   * retries the whole batch, bisecting it when configured; after the retry budget, records go to the DLQ.
   */
  private async deliver(batch: Journaled[], attempt: number): Promise<void> {
    const { retryAttempts, bisectBatchOnError, reportBatchItemFailures } = this.options.settings;
    let failedFrom: number;
    try {
      this.stats.batches++;
      const response = await this.options.consumer({ Records: batch.map((e) => e.record) });
      const failures = reportBatchItemFailures ? (response?.batchItemFailures ?? []) : [];
      if (failures.length === 0) {
        this.stats.delivered += batch.length;
        return;
      }
      const failedIds = new Set(failures.map((f) => f.itemIdentifier));
      failedFrom = batch.findIndex((e) => failedIds.has(e.record.dynamodb?.SequenceNumber ?? ''));
      if (failedFrom < 0) failedFrom = 0;
      this.stats.delivered += failedFrom;
    } catch (error) {
      this.options.log.warn('stream: consumer failed', { error, records: batch.length, attempt });
      failedFrom = 0;
    }

    const remaining = batch.slice(failedFrom);
    if (this.stopped) throw new StoppedError();
    if (attempt >= retryAttempts) {
      this.deadLetter(remaining, attempt);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 100 * 2 ** attempt));
    if (bisectBatchOnError && remaining.length > 1) {
      const middle = Math.ceil(remaining.length / 2);
      await this.deliver(remaining.slice(0, middle), attempt + 1);
      await this.deliver(remaining.slice(middle), attempt + 1);
    } else {
      await this.deliver(remaining, attempt + 1);
    }
  }

  /** Like Lambda's SQS on-failure destination: a description of the records, written where ops can find it. */
  private deadLetter(batch: Journaled[], attempts: number): void {
    mkdirSync(this.dlqDir, { recursive: true });
    const first = batch[0]?.record.dynamodb?.SequenceNumber ?? 'unknown';
    const file = path.join(this.dlqDir, `${first}.json`);
    writeFileSync(file, `${JSON.stringify({ attempts, records: batch.map((e) => e.record) }, null, 2)}\n`);
    this.stats.deadLettered += batch.length;
    this.options.log.error('stream: records sent to the dead-letter directory', {
      count: batch.length,
      file,
    });
  }

  private commit(seq: number): void {
    writeFileSync(this.checkpoint, String(seq));
    // Once everything journaled is delivered, the journal can start afresh.
    if (this.queue.length === 0) writeFileSync(this.journal, '');
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once every record published so far has been delivered or dead-lettered. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.delivering) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Stops scheduling; an in-flight batch finishes, the rest stays journaled for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.windowTimer);
    clearTimeout(this.idleTimer);
    await this.delivering;
  }
}
