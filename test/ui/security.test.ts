// Issue 16 item 4 in a real browser: PSK credentials added in the Security page let a device
// register over DTLS (its registration carries the PSK identity); a CSV of 3 credentials is
// previewed and imported, exported as CSV without keys, and one is deleted; keys never reach the
// page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { withTimeout } from '../integration/support/e2e.js';
import { openBrowser, screenshot, watchPageErrors } from './support/browser.js';
import { startUiServer, type UiServer } from './support/uiServer.js';

const PSK_TEXT = 'ui-secret-key-16';
const HEX_KEY = '000102030405060708090a0b0c0d0e0f';

describe('web UI security page', () => {
  let browser: Browser | undefined;
  let server: UiServer;
  before(async () => {
    server = await startUiServer({ extra: { coaps: true, coapsPort: 0 } });
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  async function openPage(t: Parameters<typeof openBrowser>[0]): Promise<Page | undefined> {
    browser ??= await openBrowser(t);
    if (!browser) return undefined;
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${server.baseUrl}/#/security`);
    await page.getByRole('heading', { name: /Security/ }).waitFor();
    return page;
  }

  test('PSK credentials added in the page let a device register over DTLS', async (t) => {
    const page = await openPage(t);
    if (!page) return;
    const errors = watchPageErrors(page);
    await page.getByRole('button', { name: 'Add credentials' }).click();
    await page.getByLabel('Endpoint', { exact: true }).fill('ui-psk-1');
    await page.getByLabel('PSK identity').fill('ui-psk-identity');
    await page.getByLabel('PSK key').fill(PSK_TEXT);
    await page.getByLabel('typed as').selectOption('text');
    await page.getByRole('button', { name: 'Save credentials' }).click();
    const row = page.getByRole('row', { name: /ui-psk-1/ });
    await row.getByText('set (16 bytes)').waitFor();
    assert.ok(!(await page.content()).includes(PSK_TEXT), 'the key is not in the page');

    const coaps = server.running.server.secureAddress();
    assert.ok(coaps, 'the server has a DTLS port');
    const client = new Lwm2mClient({
      endpoint: 'ui-psk-1',
      bind: { address: '127.0.0.1', port: 0 },
      servers: [
        {
          uri: `coaps://127.0.0.1:${coaps.port}`,
          ssid: 1,
          lifetime: 300,
          binding: 'U',
          psk: { identity: 'ui-psk-identity', key: Buffer.from(PSK_TEXT, 'utf8') },
        },
      ],
      requestTimeoutMs: 5_000,
    });
    try {
      await client.start();
      await server.running.server.waitForRegistration('ui-psk-1', 15_000);
      const reg = (await (await fetch(`${server.baseUrl}/api/clients/ui-psk-1`)).json()) as {
        identity?: unknown;
      };
      assert.deepEqual(reg.identity, { kind: 'psk', identity: 'ui-psk-identity' });
    } finally {
      await withTimeout(client.stop(), 3_000).catch(() => undefined);
    }
    // an edit keeps the endpoint and asks for the key again
    await row.getByRole('button', { name: 'Edit ui-psk-1' }).click();
    assert.equal(await page.getByLabel('PSK key').inputValue(), '', 'the key is never filled in');
    await page.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(errors(), []);
    await page.close();
  });

  test('a CSV of 3 credentials is previewed, imported, exported without keys, and one deleted', async (t) => {
    const page = await openPage(t);
    if (!page) return;
    const errors = watchPageErrors(page);
    const csv = [
      'endpoint,mode,identity,key',
      `bulk-1,psk,bulk-id-1,${HEX_KEY}`,
      `bulk-2,psk,bulk-id-2,${HEX_KEY}`,
      'bulk-3,x509,,',
    ].join('\n');
    const input = page.getByLabel('Credentials file (CSV or JSON)');
    // a bad file first: its row errors are shown and nothing can be imported
    await input.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`endpoint,mode,identity,key\nbad-1,psk,bad-id,zz\n`),
    });
    await page.getByText('Preview: 0 ready, 1 with errors').waitFor();
    await page.getByRole('cell', { name: /psk\.key: must be hex/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Import/ }).isDisabled(), true);

    await input.setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('Preview: 3 ready, 0 with errors').waitFor();
    assert.equal(await page.getByRole('cell', { name: 'create' }).count(), 3);
    await page.getByRole('button', { name: 'Import 3 credentials' }).click();
    await page.getByRole('status').filter({ hasText: '3 created, 0 replaced' }).waitFor();

    await page.getByLabel('Endpoint starts with').fill('bulk-');
    await page.getByRole('heading', { name: /3 endpoints/ }).waitFor();
    await page
      .getByRole('row', { name: /bulk-3/ })
      .getByText('X.509 certificate')
      .waitFor();
    await page.getByLabel('Mode').selectOption('psk');
    await page.getByRole('heading', { name: /2 endpoints/ }).waitFor();
    await page.getByLabel('Mode').selectOption('');
    await page.getByRole('heading', { name: /3 endpoints/ }).waitFor();
    await screenshot(page, 'security');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const exported = await readFile((await download.path())!, 'utf8');
    assert.equal(
      exported,
      'endpoint,mode,identity,key,publicKey\r\nbulk-1,psk,bulk-id-1,,\r\nbulk-2,psk,bulk-id-2,,\r\nbulk-3,x509,,,\r\n',
    );
    assert.ok(!exported.includes(HEX_KEY));

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete bulk-2' }).click();
    await page.getByRole('heading', { name: /2 endpoints/ }).waitFor();
    assert.equal(await page.getByRole('row', { name: /bulk-2/ }).count(), 0);
    const res = await fetch(`${server.baseUrl}/api/security/bulk-2`);
    assert.equal(res.status, 404);
    assert.deepEqual(errors(), []);
    await page.close();
  });
});
