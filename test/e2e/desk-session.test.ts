// The desk's session against a managed login (played here by Playwright's request routing, since Cognito is not
// reachable): sign-in asks for the desk's scope, and 退出 ends the managed login's session too, so the next person at a
// shared computer must sign in again.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNames } from '#infra/local/environment.ts';
import { DESK_LOGIN_SCOPES } from '#shared/domain/roles.ts';
import { renderEditorConfig, renderEditorPage } from '#shared/pages/editor-page.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const LOGIN = 'https://newsroom-editors-test.auth.ap-east-1.amazoncognito.com';
const CLIENT_ID = '4h2k8q3m9n1p5r7t6v0w2x4y6z';
let runtime: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  runtime = await startTestRuntime();
  const s3 = new S3Client({ forcePathStyle: true });
  const assets = loadSiteAssets();
  const put = (Key: string, Body: string | Buffer, ContentType: string) =>
    s3.send(new PutObjectCommand({ Bucket: localNames.SITE_BUCKET, Key, Body, ContentType }));
  await put(
    'admin/index.html',
    renderEditorPage({ siteUrl: runtime.url, assets }),
    'text/html; charset=utf-8',
  );
  for (const asset of assets.all) await put(asset.key, asset.body, asset.contentType);
  s3.destroy();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.dispose();
});

/** A desk page whose /admin/config.json names a managed login; requests to that login are recorded, not sent. */
async function deskWithManagedLogin() {
  const page = await browser.newPage();
  const toLogin: URL[] = [];
  await page.route(`${runtime.url}/admin/config.json`, (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: renderEditorConfig({ domain: LOGIN, clientId: CLIENT_ID }),
    }),
  );
  await page.route(`${LOGIN}/**`, (route) => {
    toLogin.push(new URL(route.request().url()));
    return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>managed login</title>' });
  });
  return { page, toLogin };
}

describe('the desk against a managed login', () => {
  it("asks for the desk's scope with PKCE, by the authorization code flow", async () => {
    const { page, toLogin } = await deskWithManagedLogin();
    await page.goto(`${runtime.url}/admin/`);
    await page.click('[data-cognito] button');
    await expect.poll(() => toLogin.length, { timeout: 15_000 }).toBe(1);
    const authorize = toLogin[0] as URL;
    expect(authorize.pathname).toBe('/oauth2/authorize');
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('scope')).toBe(DESK_LOGIN_SCOPES.join(' '));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    await page.close();
  });

  it('signs out of the managed login too, and forgets the token', async () => {
    const { page, toLogin } = await deskWithManagedLogin();
    await page.goto(`${runtime.url}/admin/`);
    // Signed in: the desk keeps the token in sessionStorage (here the local runtime's, which its gateway accepts).
    await page.evaluate(
      (token) => sessionStorage.setItem('newsroom.editorToken', token),
      runtime.editorToken,
    );
    await page.reload();
    await page.waitForSelector('[data-sign-out]', { state: 'visible' });
    await page.click('[data-sign-out]');
    await expect.poll(() => toLogin.length, { timeout: 15_000 }).toBe(1);
    const logout = toLogin[0] as URL;
    expect(logout.origin).toBe(LOGIN);
    expect(logout.pathname).toBe('/logout');
    expect(logout.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(logout.searchParams.get('logout_uri')).toBe(`${runtime.url}/admin/`);
    await page.waitForURL(`${LOGIN}/logout?**`);
    // Back on the site (the managed login's redirect), the desk has no token left.
    await page.goto(`${runtime.url}/admin/`);
    expect(await page.evaluate(() => sessionStorage.getItem('newsroom.editorToken'))).toBeNull();
    await page.waitForSelector('[data-cognito]:not([hidden])');
    await page.close();
  });
});
