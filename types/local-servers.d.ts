// Minimal typings for the two local AWS emulators, which ship none.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    removeListener(event: string, listener: (...args: unknown[]) => void): this;
    /** The object store its handlers use (replaced by infra/local/s3-store.ts). */
    store: unknown;
    context: { store: unknown };
  }
}

declare module 's3rver/lib/models/object.js' {
  import type { Readable } from 'node:stream';
  export default class S3Object {
    static ALLOWED_METADATA: string[];
    constructor(
      bucket: string,
      key: string,
      content: Readable | null,
      metadata: Record<string, string | number>,
    );
    range?: { start: number; end: number };
  }
}

declare module 's3rver/lib/stores/filesystem.js' {
  import type S3Object from 's3rver/lib/models/object.js';
  /** s3rver's store: three files per object under `<directory>/<bucket>/`. Only what ConsistentFilesystemStore uses. */
  export default class FilesystemStore {
    constructor(rootDirectory: string);
    getBucketPath(bucket: string): string;
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
    existsObject(bucket: string, key: string): Promise<boolean>;
    getObject(
      bucket: string,
      key: string,
      options?: { start?: number; end?: number },
    ): Promise<S3Object | null>;
    putObject(object: {
      bucket: string;
      key: string;
      content: Buffer | import('node:stream').Readable;
      metadata: Record<string, string | number>;
    }): Promise<{ size: number; md5: string }>;
    copyObject(
      srcBucket: string,
      srcKey: string,
      destBucket: string,
      destKey: string,
      replacementMetadata?: Record<string, string | number>,
    ): Promise<Record<string, string | number>>;
    deleteObject(bucket: string, key: string): Promise<void>;
  }
}
