// Local stand-in for CloudFront's upload behaviour: POST /_uploads is forwarded to the uploads bucket in s3rver,
// so the 投稿 page posts its presigned form to its own origin, as it does through CloudFront.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { uploadLimits } from '../../shared/domain/uploads.ts';

/** The file plus the form's fields and multipart framing. */
const MAX_FORM_BYTES = uploadLimits.maxBytes + 64 * 1024;

export interface UploadProxyTarget {
  /** s3rver's endpoint, e.g. http://127.0.0.1:4569 */
  readonly endpoint: string;
  readonly bucket: string;
}

/** Handles one request on the upload path; the caller routes UPLOAD_FORM_PATH here. */
export function forwardUploadForm(
  req: IncomingMessage,
  res: ServerResponse,
  target: UploadProxyTarget,
): Promise<void> {
  return new Promise((resolve) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed');
      req.resume();
      resolve();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_FORM_BYTES) {
      res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end('Request Entity Too Large');
      req.resume();
      resolve();
      return;
    }
    const url = new URL(`/${encodeURIComponent(target.bucket)}`, target.endpoint);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-length']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = request(url, { method: 'POST', headers }, (answer) => {
      const forwarded: Record<string, string> = { 'cache-control': 'no-store' };
      for (const name of ['content-type', 'etag', 'location']) {
        const value = answer.headers[name];
        if (typeof value === 'string') forwarded[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, forwarded);
      answer.pipe(res);
      answer.on('end', () => resolve());
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Bad Gateway');
      resolve();
    });
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_FORM_BYTES) {
        upstream.destroy();
        if (!res.headersSent)
          res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end('Request Entity Too Large');
        req.destroy();
        resolve();
        return;
      }
      upstream.write(chunk);
    });
    req.on('end', () => upstream.end());
  });
}
