// Issue 16 item 3 in a real browser, composite operations: with a real Lwm2mClient (LwM2M 1.1)
// registered to `lwm2m server`, the device page creates a named set (kept on the server), reads it
// with Read-Composite, writes a resource with Write-Composite, observes it with Observe-Composite
// and sees a new sensor value arrive live, then cancels. A 1.0 client gets no composite controls.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { temperatureSensor } from '../../src/client/objects/temperatureInstance.js';
import { waitUntil } from '../support/waitUntil.js';
import { openBrowser, screenshot, watchPageErrors } from './support/browser.js';
import { startUiServer, type UiServer } from './support/uiServer.js';

const EP = `composite-${process.pid}`;
const OLD = `composite-10-${process.pid}`;

function clientOf(server: UiServer, endpoint: string, version: '1.0' | '1.1') {
  const sensor = temperatureSensor({ value: 19 });
  const client = new Lwm2mClient({
    endpoint,
    lwm2mVersion: version,
    servers: [{ uri: server.coapUri, ssid: 1, lifetime: 300 }],
    bind: { address: '127.0.0.1', port: 0 },
    device: { manufacturer: 'Composite Corp', utcOffset: '+01' },
    objects: [sensor.instance],
  });
  return { client, sensor };
}

describe('device page: composite operations', () => {
  let browser: Browser | undefined;
  let server: UiServer;
  let device: ReturnType<typeof clientOf>;
  let old: ReturnType<typeof clientOf>;
  before(async () => {
    server = await startUiServer();
    device = clientOf(server, EP, '1.1');
    old = clientOf(server, OLD, '1.0');
    await device.client.start();
    await old.client.start();
    await server.running.server.waitForRegistration(EP);
    await server.running.server.waitForRegistration(OLD);
  });
  after(async () => {
    await browser?.close();
    await device.client.stop().catch(() => undefined);
    await old.client.stop().catch(() => undefined);
    await server.close();
  });

  const value = (page: Page, path: string) => page.locator(`td.composite-value[data-path="${path}"]`);

  test('create a set, Composite Read, Write and Observe with a live value, then cancel', async (t) => {
    browser = await openBrowser(t);
    if (!browser) return;
    const page = await browser.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${server.baseUrl}/#/clients/${EP}`);
    const panel = page.getByRole('region', { name: 'Composite operations' });
    await panel.getByRole('button', { name: 'New set' }).click();
    await panel.getByLabel('Set name').fill('climate');
    await panel.getByLabel('Paths (one per line)').fill('/3303/0/5700\n/3/0/0\n/3/0/14');
    await panel.getByLabel('Description').fill('temperature, maker and UTC offset');
    await panel.getByRole('button', { name: 'Save set' }).click();
    // the list of sets is read again after the save: wait for the new set to be the one selected.
    // (Not page.waitForFunction with a string: once it has to poll, it evaluates the string in the
    // page, which the UI's Content-Security-Policy refuses, and the test failed whenever the
    // list came back later than the first check.)
    const setSelect = panel.getByLabel('Set', { exact: true });
    await waitUntil(async () => (await setSelect.inputValue()) === 'climate', 'the saved set selected');
    const stored = (await (await fetch(`${server.baseUrl}/api/composite-sets/climate`)).json()) as {
      paths: string[];
    };
    assert.deepEqual(stored.paths, ['/3303/0/5700', '/3/0/0', '/3/0/14']);

    await panel.getByRole('button', { name: 'Composite Read' }).click();
    await panel.getByRole('status').filter({ hasText: 'Composite Read: 2.05' }).waitFor();
    await value(page, '/3/0/0').filter({ hasText: 'Composite Corp' }).waitFor();
    await value(page, '/3303/0/5700').filter({ hasText: '19' }).waitFor();
    await value(page, '/3/0/14').filter({ hasText: '+01' }).waitFor();

    await panel.getByLabel('Write value for /3/0/14').fill('+02');
    await panel.getByLabel('Type for /3/0/14').selectOption('string');
    await panel.getByRole('button', { name: 'Composite Write' }).click();
    await panel.getByRole('status').filter({ hasText: 'Composite Write: 2.04' }).waitFor();

    await panel.getByRole('button', { name: 'Composite Observe' }).click();
    await panel.getByRole('status').filter({ hasText: 'observing' }).waitFor();
    await value(page, '/3/0/14').filter({ hasText: '+02' }).waitFor();
    await page.getByText('Values (live)').waitFor();
    device.sensor.record(23.5);
    await value(page, '/3303/0/5700').filter({ hasText: '23.5' }).waitFor();
    await screenshot(page, 'composite');

    await panel.getByRole('button', { name: 'Cancel observation' }).click();
    await panel.getByRole('status').filter({ hasText: 'Cancel observation: 1 cancelled' }).waitFor();
    await panel.getByRole('button', { name: 'Composite Observe' }).waitFor();
    assert.deepEqual(errors(), []);
  });

  test('a bad path is refused with the server message; a set is edited and deleted; a 1.0 client has no composite controls', async (t) => {
    browser ??= await openBrowser(t);
    if (!browser) return;
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/#/clients/${EP}`);
    const panel = page.getByRole('region', { name: 'Composite operations' });
    await panel.getByRole('button', { name: 'New set' }).click();
    await panel.getByLabel('Set name').fill('broken');
    await panel.getByLabel('Paths (one per line)').fill('/3/zero/0');
    await panel.getByRole('button', { name: 'Save set' }).click();
    await panel.getByRole('alert').filter({ hasText: '/3/zero/0' }).waitFor();
    await panel.getByRole('button', { name: 'Cancel' }).click();

    // edit the set: its paths are replaced on the server; then delete it (confirmed)
    await panel.getByRole('button', { name: 'Edit set' }).click();
    await panel.getByLabel('Paths (one per line)').fill('/3/0/0');
    await panel.getByRole('button', { name: 'Save set' }).click();
    await panel.locator('td.composite-value[data-path="/3/0/0"]').waitFor();
    // the table is rebuilt from the saved set once the list of sets is read again
    await waitUntil(
      async () => (await panel.locator('td.composite-value').count()) === 1,
      'one path left in the set',
    );
    page.once('dialog', (d) => void d.accept());
    await panel.getByRole('button', { name: 'Delete set' }).click();
    await panel.getByRole('status').filter({ hasText: 'Delete set: deleted' }).waitFor();
    assert.equal((await fetch(`${server.baseUrl}/api/composite-sets/climate`)).status, 404);

    await page.goto(`${server.baseUrl}/#/clients/${OLD}`);
    const oldPanel = page.getByRole('region', { name: 'Composite operations' });
    await oldPanel.getByText('need LwM2M 1.1 or later').waitFor();
    assert.equal(await oldPanel.getByRole('button', { name: 'Composite Read' }).count(), 0);
  });
});
