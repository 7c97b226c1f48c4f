// Local stand-in for CloudFront's upload behaviour: POST /_uploads is forwarded to the uploads bucket in s3rver,
// so the 投稿 page posts its presigned form to its own origin, as it does through CloudFront.
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { uploadLimits } from '../../shared/domain/uploads.ts';

/** The file plus the form's fields and multipart framing. */
const MAX_FORM_BYTES = uploadLimits.maxBytes + 64 * 1024;
const TEXT = 'text/plain; charset=utf-8';

export interface UploadProxyTarget {
  /** s3rver's endpoint, e.g. http://127.0.0.1:4569 */
  readonly endpoint: string;
  readonly bucket: string;
}

/** The upload path's app, for the gateway to mount at UPLOAD_FORM_PATH. */
export function uploadFormProxy(target: UploadProxyTarget): Hono<{ Bindings: HttpBindings }> {
  const url = new URL(`/${encodeURIComponent(target.bucket)}`, target.endpoint);
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.post(
    '/',
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: () =>
        new Response('Request Entity Too Large', {
          status: 413,
          headers: { 'content-type': TEXT, connection: 'close' },
        }),
    }),
    async (c) => {
      const type = c.req.header('content-type');
      try {
        const answer = await fetch(url, {
          method: 'POST',
          headers: type ? { 'content-type': type } : {},
          body: await c.req.arrayBuffer(),
        });
        const forwarded: Record<string, string> = { 'cache-control': 'no-store' };
        for (const name of ['content-type', 'etag', 'location']) {
          const value = answer.headers.get(name);
          if (value !== null) forwarded[name] = value;
        }
        return new Response(answer.body, { status: answer.status, headers: forwarded });
      } catch {
        return new Response('Bad Gateway', { status: 502, headers: { 'content-type': TEXT } });
      }
    },
  );
  app.all(
    '/',
    () =>
      new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST', 'content-type': TEXT } }),
  );
  return app;
}
