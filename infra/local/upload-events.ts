// Local stand-in for the S3 → Lambda notification on the quarantine prefix: s3rver emits an 'event' with S3 event
// records for every object it stores; those under the uploads bucket's quarantine prefix go to the images function
// as a real S3Event, the way AWS delivers them (asynchronously, keys URL-encoded, retried on failure).
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { QUARANTINE_PREFIX } from '../../shared/domain/uploads.ts';
import type { Logger } from '../../shared/log.ts';

/** What watchUploads needs of s3rver: its event emitter. */
export interface S3EventSource {
  on(event: 'event', listener: (...args: unknown[]) => void): unknown;
  removeListener(event: 'event', listener: (...args: unknown[]) => void): unknown;
}

export interface UploadWatcher {
  /** Resolves when every upload seen so far has been processed (tests and the pipeline script wait on it). */
  idle(): Promise<void>;
  stop(): void;
}

/** Lambda retries an asynchronous invocation twice; so do we. */
const ATTEMPTS = 3;

/** S3 notifications carry keys URL-encoded with `+` for spaces; s3rver's carry them raw. */
const encodeKey = (key: string): string => encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

const isS3Event = (value: unknown): value is S3Event =>
  typeof value === 'object' && value !== null && Array.isArray((value as { Records?: unknown }).Records);

export function watchUploads(
  s3rver: S3EventSource,
  invoke: (event: S3Event) => Promise<unknown>,
  options: { bucket: string; log?: Logger },
): UploadWatcher {
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  const deliver = async (record: S3EventRecord) => {
    const event: S3Event = {
      Records: [
        {
          ...record,
          s3: { ...record.s3, object: { ...record.s3.object, key: encodeKey(record.s3.object.key) } },
        },
      ],
    };
    for (let attempt = 1; attempt <= ATTEMPTS && !stopped; attempt++) {
      try {
        await invoke(event);
        return;
      } catch (error) {
        options.log?.error('images function failed', { key: record.s3.object.key, attempt, error });
      }
    }
  };

  const listener = (...args: unknown[]) => {
    const [event] = args;
    if (!isS3Event(event)) return;
    for (const record of event.Records) {
      if (
        record.eventName.startsWith('ObjectCreated:') &&
        record.s3.bucket.name === options.bucket &&
        record.s3.object.key.startsWith(QUARANTINE_PREFIX)
      ) {
        // One at a time, like a function with reserved concurrency 1: a photo needs a lot of memory to decode.
        queue = queue.then(() => deliver(record));
      }
    }
  };
  s3rver.on('event', listener);

  return {
    idle: async () => {
      // Processing may start more work; wait until the queue stops growing.
      let seen: Promise<void>;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
    stop: () => {
      stopped = true;
      s3rver.removeListener('event', listener);
    },
  };
}
