// The 投稿 page and the editor desk as the site serves them. Render does not write them yet, so a test that needs
// them puts exactly what the page modules produce into the runtime's bucket; once render writes them, this
// finds them in place and writes nothing.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localNames } from '#infra/local/environment.ts';
import { cacheControl } from '#shared/headers.ts';
import { renderEditorConfig, renderEditorPage } from '#shared/pages/editor-page.ts';
import { renderSubmitPage } from '#shared/pages/submit-page.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import type { TestRuntime } from './runtime.ts';

export async function ensureEditorialPages(runtime: TestRuntime, siteUrl = runtime.url): Promise<void> {
  const missing = await Promise.all(
    ['/submit/', '/admin/', '/admin/config.json'].map(async (p) => (await runtime.fetch(p)).status === 404),
  );
  if (!missing.some(Boolean)) return;
  const s3 = new S3Client({ forcePathStyle: true, endpoint: runtime.endpoints.s3 });
  const assets = loadSiteAssets();
  const context = { siteUrl, assets };
  const put = (
    Key: string,
    Body: string | Buffer,
    ContentType: string,
    CacheControl: string = cacheControl.page,
  ) =>
    s3.send(new PutObjectCommand({ Bucket: localNames.SITE_BUCKET, Key, Body, ContentType, CacheControl }));
  try {
    await put('submit/index.html', renderSubmitPage(context), 'text/html; charset=utf-8');
    await put('admin/index.html', renderEditorPage(context), 'text/html; charset=utf-8');
    await put('admin/config.json', renderEditorConfig(), 'application/json');
    for (const asset of assets.all) await put(asset.key, asset.body, asset.contentType, asset.cacheControl);
  } finally {
    s3.destroy();
  }
}
