// Issue 16 item 1 in a real browser: with API keys the UI shows a login form; a key opens a session
// whose cookie is HttpOnly and SameSite=Strict and carries the API calls (the client list loads);
// a wrong key is refused with a message; logging out ends the session server-side. Without keys
// (loopback) the UI opens directly. Every page is served under a strict CSP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { openBrowser, screenshot, watchPageErrors } from './support/browser.js';
import { startUiServer, type UiServer } from './support/uiServer.js';

const KEY = 'ui-test-key-0123456789abcdef';

describe('web UI login', () => {
  let browser: Browser | undefined;
  let server: UiServer;
  before(async () => {
    server = await startUiServer({ apiKey: KEY });
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  test('a key logs in with an HttpOnly SameSite=Strict cookie; logout ends the session', async (t) => {
    browser = await openBrowser(t);
    if (!browser) return;
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    const res = await page.goto(`${server.baseUrl}/`);
    assert.equal(res?.status(), 200);
    const csp = res?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    await page.getByLabel('API key').waitFor();
    await screenshot(page, 'login');

    await page.getByLabel('API key').fill('not-the-key-of-this-server');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not a key of this API' }).waitFor();

    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await page.getByRole('heading', { name: /Clients/ }).waitFor();

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'lwm2m_session');
    assert.ok(session, 'a session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(await page.evaluate('document.cookie'), '', 'scripts cannot read the cookie');
    const apiStatus = await page.evaluate(async () => (await fetch('/api/clients')).status);
    assert.equal(apiStatus, 200, 'the cookie carries API calls');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('API key').waitFor();
    const replay = await fetch(`${server.baseUrl}/api/clients`, {
      headers: { cookie: `lwm2m_session=${session.value}` },
    });
    assert.equal(replay.status, 401, 'the old cookie no longer opens the API');
    assert.deepEqual(
      errors().filter((e) => !e.includes('401')),
      [],
    );
    await context.close();
  });

  test('without the cookie the API answers 401, and a cross-site login is refused', async () => {
    assert.equal((await fetch(`${server.baseUrl}/api/clients`)).status, 401);
    const crossSite = await fetch(`${server.baseUrl}/ui/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ apiKey: KEY }),
    });
    assert.equal(crossSite.status, 403);
    assert.equal(crossSite.headers.get('set-cookie'), null);
  });
});

describe('web UI on loopback without keys', () => {
  let browser: Browser | undefined;
  let server: UiServer;
  before(async () => {
    server = await startUiServer();
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  test('opens without a login', async (t) => {
    browser = await openBrowser(t);
    if (!browser) return;
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    assert.equal(await page.getByLabel('API key').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
  });
});
