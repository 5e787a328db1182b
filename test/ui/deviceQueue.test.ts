// Issue 16 item 3 in a real browser, queued requests (Transport TS 1.1.1 section 6.5): a Queue Mode
// Lwm2mClient falls asleep; a Read sent with ?wait=false is held for it and the device page lists
// it as queued with its target and deadline; Cancel in the page cancels it (DELETE .../queue/{id})
// and the row shows cancelled. One more held Read is sent when the client wakes (it has a stored
// notification to deliver, Core TS 6.5) and shows answered with 2.05. A client not in Queue Mode
// and without entries shows no panel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { runServer, type RunningServer } from '../../src/cli/serverCommand.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { waitUntil } from '../support/waitUntil.js';
import { openBrowser, screenshot, watchPageErrors } from './support/browser.js';

const EP = `queue-${process.pid}`;
const AWAKE = `awake-${process.pid}`;

describe('device page: queued requests of a sleeping client', () => {
  let browser: Browser | undefined;
  let running: RunningServer;
  let base: string;
  const clients: Lwm2mClient[] = [];
  before(async () => {
    // the server takes a Queue Mode client for asleep 600 ms after it last heard from it
    running = await runServer(
      {
        coapPort: 0,
        coapAddress: '127.0.0.1',
        httpPort: 0,
        httpAddress: '127.0.0.1',
        coaps: false,
        logLevel: 'silent',
        store: 'memory',
        drainDelay: 0,
      },
      { serverOptions: { awakeWindowMs: 600 } },
    );
    base = `http://127.0.0.1:${(running.http.server.address() as AddressInfo).port}`;
    const uri = `coap://127.0.0.1:${running.server.address().port}`;
    for (const [endpoint, queueMode] of [
      [EP, true],
      [AWAKE, false],
    ] as const) {
      const client = new Lwm2mClient({
        endpoint,
        queueMode,
        awakeTimeMs: 500,
        servers: [{ uri, ssid: 1, lifetime: 300 }],
        bind: { address: '127.0.0.1', port: 0 },
        device: { batteryLevel: 80, manufacturer: 'Queue Corp' },
      });
      clients.push(client);
      await client.start();
      await running.server.waitForRegistration(endpoint);
    }
    // observed while awake: a new battery level later makes the sleeping client wake to deliver it
    const observed = await fetch(`${base}/api/clients/${EP}/3/0/9/observe`, { method: 'POST' });
    assert.equal(observed.status, 200, await observed.clone().text());
  });
  after(async () => {
    await browser?.close();
    for (const c of clients) await c.stop().catch(() => undefined);
    await running.stop();
  });

  test('a request held for the sleeping client is listed as queued, cancelled from the page, another answered once the client wakes', async (t) => {
    browser = await openBrowser(t);
    if (!browser) return;
    const page = await browser.newPage();
    const errors = watchPageErrors(page);
    const reg = await running.server.getRegistration(EP);
    assert.ok(reg?.queueMode);
    await waitUntil(() => !running.server.isAwake(reg), 'the server takes the client for asleep', 10_000);

    await page.goto(`${base}/#/clients/${EP}`);
    const panel = page.getByRole('region', { name: 'Queued requests' });
    await panel.getByText('No request is waiting for this client.').waitFor();
    const held = await fetch(`${base}/api/clients/${EP}/3/0/0?wait=false&timeout=120`);
    assert.equal(held.status, 202);
    const { id } = (await held.json()) as { id: string };
    const row = panel.locator('tbody tr').filter({ hasText: '/3/0/0' });
    await row.filter({ hasText: 'queued' }).waitFor();
    assert.match((await row.textContent()) ?? '', /read/);
    await screenshot(page, 'queue');

    await panel.getByRole('button', { name: 'Cancel read /3/0/0' }).click();
    await row.filter({ hasText: 'cancelled' }).waitFor();
    const entry = (await (
      await fetch(`${base}/api/clients/${EP}/queue/${encodeURIComponent(id)}`)
    ).json()) as {
      status: string;
    };
    assert.equal(entry.status, 'cancelled');
    assert.equal(await panel.getByRole('button', { name: /^Cancel / }).count(), 0);

    const second = await fetch(`${base}/api/clients/${EP}/3/0/0?wait=false&timeout=120`);
    assert.equal(second.status, 202);
    await panel.locator('tbody tr').filter({ hasText: 'queued' }).waitFor();
    clients[0]!.set('/3/0/9', 42);
    const answered = panel.locator('tbody tr').filter({ hasText: 'answered' });
    await answered.waitFor({ timeout: 15_000 });
    assert.match((await answered.textContent()) ?? '', /2\.05/);

    await page.goto(`${base}/#/clients/${AWAKE}`);
    await page.getByRole('heading', { name: AWAKE }).waitFor();
    await page.getByRole('region', { name: 'CoAP message log' }).waitFor();
    // the previous client's panel may still be on the page for a moment after the new heading
    await page
      .getByRole('region', { name: 'Queued requests' })
      .waitFor({ state: 'detached', timeout: 5_000 });
    assert.equal(await page.getByRole('region', { name: 'Queued requests' }).count(), 0);
    assert.deepEqual(errors(), []);
  });
});
