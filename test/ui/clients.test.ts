// Issue 16 item 2 in a real browser: log in with an API key, find one client among 1 000 raw-CoAP
// registrations with the server-side filter and sort, open its details and its device page; a
// new registration and a de-registration show up live (no reload) with the total kept current.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openBrowser, screenshot, watchPageErrors } from './support/browser.js';
import { startUiServer, type UiServer } from './support/uiServer.js';
import { openDevice, registerMany } from './support/rawRegistrations.js';

const KEY = 'ui-clients-key-0123456789abcdef';
const COUNT = 1000;
const names = Array.from({ length: COUNT }, (_, i) => `dev-${String(i).padStart(4, '0')}`);

/** The endpoint names of the rows on screen, in order. */
const rowNames = (page: Page): Promise<string[]> =>
  page.getByRole('table', { name: 'Registered clients' }).locator('tbody td.c-endpoint').allInnerTexts();

describe('web UI: clients page', () => {
  let browser: Browser | undefined;
  let server: UiServer;
  let coapPort: number;
  before(async () => {
    server = await startUiServer({ apiKey: KEY, extra: { registrationsPerSecond: 1_000_000 } });
    coapPort = server.running.server.address().port;
    await registerMany(coapPort, names);
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  test('finds one client among 1 000: filter, sort, details, device page; live changes', async (t) => {
    browser = await openBrowser(t);
    if (!browser) return;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchPageErrors(page);
    await page.goto(`${server.baseUrl}/`);
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByRole('heading', { name: /Clients/ })
      .getByText('1,000 clients', { exact: true })
      .waitFor();
    // virtualized: a page of 200 fetched, far fewer rows in the DOM
    const first = await rowNames(page);
    assert.deepEqual(first.slice(0, 3), ['dev-0000', 'dev-0001', 'dev-0002']);
    assert.ok(first.length < 100, `${first.length} rows rendered`);
    // scrolling to the end of the loaded rows fetches the next page by cursor, again and again
    const last = page.getByRole('link', { name: 'dev-0999', exact: true });
    await page.locator('.clients-scroll').hover();
    for (let i = 0; i < 200 && !(await last.isVisible()); i++) {
      await page.mouse.wheel(0, 4000);
      await page.getByText('Loading more…').waitFor({ state: 'hidden' });
    }
    assert.ok(await last.isVisible(), 'the last client is reached by scrolling');
    assert.ok((await rowNames(page)).length < 100, 'still only the rows on screen');
    await page.getByLabel('Endpoint starts with').fill('dev-070');
    await page
      .getByRole('heading', { name: /Clients/ })
      .getByText('10 clients', { exact: true })
      .waitFor();
    await page.getByRole('link', { name: 'dev-0700', exact: true }).waitFor();
    assert.deepEqual(await rowNames(page), names.slice(700, 710));
    const endpointHeader = page.getByRole('columnheader', { name: 'Endpoint' });
    assert.equal(await endpointHeader.getAttribute('aria-sort'), 'ascending');
    await endpointHeader.getByRole('button').click();
    await page.getByRole('link', { name: 'dev-0700', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Details of dev-0709' }).waitFor();
    assert.equal(await endpointHeader.getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await rowNames(page), names.slice(700, 710).reverse());

    await page.getByRole('button', { name: 'Details of dev-0705' }).click();
    const details = page.getByRole('region', { name: 'Registration of dev-0705' });
    await details.getByText(/^in 23 h/).waitFor();
    await details.getByText('127.0.0.1:', { exact: false }).waitFor();
    await details.getByRole('cell', { name: '3303' }).waitFor();
    await screenshot(page, 'clients');
    await details.getByRole('link', { name: 'Open the device page' }).click();
    await page.getByRole('heading', { name: 'dev-0705', level: 1 }).waitFor();
    assert.match(page.url(), /#\/clients\/dev-0705$/);
    await page.goBack();

    // live: a new client is announced and counted, Refresh shows it; its de-registration marks it
    await page.getByLabel('Endpoint starts with').fill('live-');
    await page.getByText('No client matches.').waitFor();
    const device = await openDevice(coapPort, 'live-1', 5000);
    try {
      await device.register();
      await page.getByText('1 new since the list was loaded').waitFor();
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('link', { name: 'live-1', exact: true }).waitFor();
      await page
        .getByRole('heading', { name: /Clients/ })
        .getByText('1 client', { exact: true })
        .waitFor();
      await device.deregister();
      const row = page.getByRole('row', { name: /live-1/ });
      await row.getByRole('cell', { name: 'deregistered' }).waitFor();
      await page
        .getByRole('heading', { name: /Clients/ })
        .getByText('0 clients', { exact: true })
        .waitFor();
    } finally {
      device.close();
    }
    assert.deepEqual(errors(), []);
  });

  test('GET /api/clients?securityMode=none counts the plain CoAP clients', async () => {
    const res = await fetch(`${server.baseUrl}/api/clients?securityMode=none&limit=1`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { total: number }).total, COUNT);
  });
});
