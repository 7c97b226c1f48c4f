// Hostile test (issue 19): a contributor's photos are not on the public site before an editor publishes the article
// that shows them, and leave it when the article is unpublished. Through the local runtime's gateway, which serves the
// bucket with the same site-request function as CloudFront; the editor's preview still shows them, by a grant.
import { describe, expect, it } from 'vitest';
import { postPhoto, scenicJpeg } from '../support/photos.ts';
import { useRuntime } from '../support/suite.ts';

const runtime = useRuntime();
const uploads: string[] = [];
const json = { 'content-type': 'application/json' };
let articleId = '';
let pageUrl = '';

/** Every path at which a photo's files could be asked for: the public names, and its private copy's spellings. */
function pathsOf(upload: string): string[] {
  const files = ['480.webp', '480.jpg', '960.webp', '960.jpg', '1600.webp', '1600.jpg'];
  return files.flatMap((file) => [
    `/media/${upload}/${file}`,
    `/_state/photos/${upload}/${file}`,
    `/%5Fstate/photos/${upload}/${file}`,
    `/_STATE/photos/${upload}/${file}`,
    `//_state//photos/${upload}/${file}`,
  ]);
}

/** How many of the photos' public files the site serves (200 with an image). */
async function servedFiles(): Promise<{ served: number; tried: number }> {
  let served = 0;
  let tried = 0;
  for (const upload of uploads) {
    for (const path of pathsOf(upload)) {
      tried++;
      const response = await runtime().fetch(path, { redirect: 'manual' });
      const type = response.headers.get('content-type') ?? '';
      if (response.status === 200 && type.startsWith('image/')) served++;
      await response.arrayBuffer();
    }
  }
  return { served, tried };
}

const editor = () => ({ authorization: `Bearer ${runtime().editorToken}` });

describe('photos are public only while a published article shows them', () => {
  it('serves no photo file after upload and processing, before anything is published', {
    timeout: 120_000,
  }, async () => {
    for (let i = 0; i < 3; i++) {
      const photo = await scenicJpeg(2000, 1400, 40 + i * 90);
      const { uploadId } = await postPhoto(runtime(), photo, `photo-${i}.jpg`);
      uploads.push(uploadId);
    }
    await runtime().uploads.idle();
    const { served, tried } = await servedFiles();
    console.log(
      `photo files public before publish: ${served} of ${tried} requests (3 processed photos, 6 files each, public names and 4 spellings of the private copy)`,
    );
    expect(served).toBe(0);
  });

  it('still shows them in the editor preview, through a grant that names only those photos', async () => {
    const submitted = await runtime().fetch('/api/submissions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        title: '社区图书角开放',
        body: `居民自发捐书。\n\n![书架](uploads/quarantine/${uploads[0]})\n\n每天开放。`,
        author: '',
        channel: 'law/cases',
        images: uploads.map((id, i) => ({ key: `uploads/quarantine/${id}`, caption: `图 ${i + 1}` })),
      }),
    });
    expect(submitted.status).toBe(201);
    articleId = ((await submitted.json()) as { id: string }).id;
    await runtime().stream.idle();
    const preview = await (
      await runtime().fetch(`/api/admin/submissions/${articleId}/preview`, { headers: editor() })
    ).text();
    const sources = [...new Set([...preview.matchAll(/\/api\/photo-previews\/[^"\s,]+/g)].map((m) => m[0]))];
    expect(sources.length).toBeGreaterThanOrEqual(uploads.length * 2);
    expect(preview).not.toMatch(/"\/media\//);
    for (const source of sources) {
      const file = await runtime().fetch(source);
      expect(file.status, source).toBe(200);
      expect(file.headers.get('content-type')).toMatch(/^image\/(webp|jpeg)$/);
    }
    // The grant is the signature: a changed token, or an upload it does not name, is a 404.
    const [first = ''] = sources;
    const token = first.split('/')[3] ?? '';
    const forged = first.replace(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    expect((await runtime().fetch(forged)).status).toBe(404);
    const other = first.replace(uploads[0] ?? '', '00000000-0000-4000-8000-000000000000');
    expect((await runtime().fetch(other)).status).toBe(404);
  });

  it('serves every file once the article is published, and none after it is unpublished', async () => {
    const published = await runtime().fetch(`/api/admin/submissions/${articleId}/publish`, {
      method: 'POST',
      headers: editor(),
    });
    expect(published.status).toBe(200);
    pageUrl = ((await published.json()) as { url: string }).url;
    await runtime().stream.idle();
    const page = await (await runtime().fetch(new URL(pageUrl, 'http://x').pathname)).text();
    expect(page).toContain(`/media/${uploads[0]}/`);
    for (const upload of uploads) {
      for (const file of ['480.webp', '480.jpg', '960.webp', '960.jpg', '1600.webp', '1600.jpg']) {
        const response = await runtime().fetch(`/media/${upload}/${file}`);
        expect(response.status, `${upload}/${file}`).toBe(200);
        await response.arrayBuffer();
      }
    }
    const unpublished = await runtime().fetch(`/api/admin/submissions/${articleId}/unpublish`, {
      method: 'POST',
      headers: { ...editor(), ...json },
      body: JSON.stringify({ reason: '图片版权存疑' }),
    });
    expect(unpublished.status).toBe(200);
    await runtime().stream.idle();
    const { served, tried } = await servedFiles();
    console.log(`photo files public after unpublish: ${served} of ${tried} requests`);
    expect(served).toBe(0);
  });
});
