// S3 adapter for contributors' processed photos in the site bucket: publish copies a photo's files from private
// state (`_state/photos/`, where processing wrote them) to `media/`, which the site serves; withdraw puts them back
// in private state and removes them from `media/`.
import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { privatePhotoKey } from '../domain/uploads.ts';
import type { PhotoFiles } from '../ports.ts';
import { isMissingObject } from './s3-errors.ts';

export function s3PhotoFiles(client: S3Client, bucket: string): PhotoFiles {
  const exists = async (key: string): Promise<boolean> => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw error;
    }
  };
  // Content-Type and the immutable Cache-Control travel with the object (MetadataDirective COPY).
  const copy = (from: string, to: string) =>
    client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: to,
        CopySource: `${bucket}/${from}`,
        MetadataDirective: 'COPY',
      }),
    );

  return {
    async publish(files) {
      // The last file (the largest JPEG) is copied last, so its presence says the photo is complete: one HEAD per
      // photo when an article page is rendered again.
      const last = files[files.length - 1];
      if (last === undefined || (await exists(last))) return false;
      try {
        for (const key of files) await copy(privatePhotoKey(key), key);
      } catch (error) {
        // The private copy expired (PRIVATE_PHOTO_DAYS) or was never written: the page goes without this photo
        // rather than the batch failing until its retries run out.
        if (isMissingObject(error)) return false;
        throw error;
      }
      return true;
    },

    async withdraw(files) {
      let removed = false;
      for (const key of [...files].reverse()) {
        // Back to private state first, as a fresh copy: republishing within PRIVATE_PHOTO_DAYS finds it there.
        try {
          await copy(key, privatePhotoKey(key));
        } catch (error) {
          if (isMissingObject(error)) continue;
          throw error;
        }
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        removed = true;
      }
      return removed;
    },
  };
}
