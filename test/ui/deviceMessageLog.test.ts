// Issue 16 item 3 in a real browser, the CoAP message log: opening the panel watches the client
// (the server starts recording), a Read then shows as a CON GET to the client and its ACK 2.05
// Content from it, with the RTT; the filter narrows the rows; Clear empties them; closing the panel
// ends the watch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { waitUntil } from '../support/waitUntil.js';
import { openBrowser, screenshot, watchPageErrors } from './support/browser.js';
import { startUiServer, type UiServer } from './support/uiServer.js';

const EP = `msglog-${process.pid}`;

describe('device page: CoAP message log', () => {
  let browser: Browser | undefined;
  let server: UiServer;
  let client: Lwm2mClient;
  before(async () => {
    server = await startUiServer();
    client = new Lwm2mClient({
      endpoint: EP,
      servers: [{ uri: server.coapUri, ssid: 1, lifetime: 300 }],
      bind: { address: '127.0.0.1', port: 0 },
      device: { manufacturer: 'Log Corp' },
    });
    await client.start();
    await server.running.server.waitForRegistration(EP);
  });
  after(async () => {
    await browser?.close();
    await client.stop().catch(() => undefined);
    await server.close();
  });

  test("the log shows a Read's CON GET and ACK 2.05 with codes; filter, clear, and the watch ends on close", async (t) => {
    browser = await openBrowser(t);
    if (!browser) return;
    const page = await browser.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${server.baseUrl}/#/clients/${EP}`);
    const panel = page.getByRole('region', { name: 'CoAP message log' });
    await panel.getByRole('button', { name: 'CoAP message log' }).click();
    const log = server.running.server.messageLog;
    await waitUntil(() => log.isWatched(EP), 'the panel watches the client');
    await panel.getByLabel('Filter').waitFor();

    const read = await fetch(`${server.baseUrl}/api/clients/${EP}/3/0/0`);
    assert.equal(read.status, 200);
    const rows = panel.locator('tbody tr');
    const request = rows.filter({ hasText: 'GET' }).filter({ hasText: '/3/0/0' });
    const response = rows.filter({ hasText: '2.05 Content' });
    await request.first().waitFor();
    await response.first().waitFor();
    assert.equal(await request.first().locator('.coap-type').textContent(), 'CON');
    assert.match((await request.first().textContent()) ?? '', /to client/);
    assert.equal(await response.first().locator('.coap-type').textContent(), 'ACK');
    assert.match((await response.first().textContent()) ?? '', /from client.*\d+ ms$/);
    await screenshot(page, 'message-log');

    await panel.getByLabel('Filter').fill('ACK');
    await waitUntil(
      async () => (await rows.filter({ hasText: 'GET' }).count()) === 0,
      'the GET filtered out',
    );
    assert.ok((await rows.count()) >= 1);
    await panel.getByRole('button', { name: 'Clear' }).click();
    await waitUntil(async () => (await rows.count()) === 0, 'the rows cleared');
    assert.deepEqual(log.entries(EP), []);

    await panel.getByRole('button', { name: 'CoAP message log' }).click();
    await waitUntil(() => !log.isWatched(EP), 'the watch ends when the panel closes');
    assert.equal(log.active, false);
    assert.deepEqual(errors(), []);
  });
});
