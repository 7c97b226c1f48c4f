// Privacy: a contributor's contact details go to the editors' GET of that submission and nowhere else: not into any
// function's logs during submit → publish → render, not into any page, feed or sitemap, not into other API answers.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localNames } from '#infra/local/environment.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const contact = { name: '王秘密联系人', email: 'whistle.blower+secret@example.cn' };
const needles = [contact.name, contact.email, 'whistle.blower', encodeURIComponent(contact.email)];
let rt: TestRuntime;
const logged: string[] = [];

beforeAll(async () => {
  rt = await startTestRuntime({ seed: false });
});
afterAll(async () => {
  await rt.dispose();
});

const leaks = (text: string) => needles.filter((n) => text.includes(n));

describe('contact details', () => {
  it('appear only in the editor GET of the submission', async () => {
    // Everything the functions write to stdout or stderr while the article goes through the pipeline.
    const capture = (chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const editor = { authorization: `Bearer ${rt.editorToken}` };
    const answers: [string, string][] = [];
    const call = async (what: string, path: string, init?: RequestInit) => {
      const response = await rt.fetch(path, init);
      const text = await response.text();
      answers.push([what, text]);
      return text;
    };
    let id = '';
    let editorView = '';
    try {
      const submitted = await call('submit', '/api/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title: '隐私测试稿件',
          body: `正文提到 ${'作者'}。`,
          author: '记者',
          channel: 'news/society',
          contact,
        }),
      });
      id = (JSON.parse(submitted) as { id: string }).id;
      // An invalid submission whose error echoes fields: the contact must not come back in it either.
      await call('invalid submit', '/api/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: '', body: '', author: '', channel: 'x', contact }),
      });
      await call('pending queue', '/api/admin/submissions?status=pending', { headers: editor });
      await call('preview', `/api/admin/submissions/${id}/preview`, { headers: editor });
      editorView = await rt.fetch(`/api/admin/submissions/${id}`, { headers: editor }).then((r) => r.text());
      const published = await call('publish', `/api/admin/submissions/${id}/publish`, {
        method: 'POST',
        headers: editor,
      });
      const { url } = JSON.parse(published) as { url: string };
      await rt.stream.idle();
      await call('published queue', '/api/admin/submissions?status=published', { headers: editor });
      await call('views', `/api/views?ids=${id}`);
      await call('count view', `/api/views/${id}`, {
        method: 'POST',
        headers: { 'x-view-id': 'privacy-test-view-0001' },
      });
      await call('page', url);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }

    // The editor does see it: the test would prove nothing if the contact had never been stored.
    expect(leaks(editorView)).toEqual(expect.arrayContaining([contact.name, contact.email]));
    expect(logged.join('').length).toBeGreaterThan(0);
    expect(logged.filter((line) => leaks(line).length > 0)).toEqual([]);
    expect(answers.filter(([, text]) => leaks(text).length > 0).map(([what]) => what)).toEqual([]);

    // Every object in the site bucket: pages, lists, feed, sitemap, assets.
    const s3 = new S3Client({ endpoint: rt.endpoints.s3, forcePathStyle: true });
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: localNames.SITE_BUCKET, ContinuationToken }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    expect(keys.some((k) => k.endsWith(`${id}.html`))).toBe(true);
    const leaking: string[] = [];
    for (const Key of keys) {
      const object = await s3.send(new GetObjectCommand({ Bucket: localNames.SITE_BUCKET, Key }));
      const text = Buffer.from((await object.Body?.transformToByteArray()) ?? []).toString('utf8');
      if (leaks(text).length > 0) leaking.push(Key);
    }
    s3.destroy();
    expect(leaking).toEqual([]);
  });
});
