// Issue 16 item 3 in a real browser: the device page's object tree against a real server and a real
// Lwm2mClient over UDP (a Device object, a temperature sensor, a Light Control object it creates
// instances of, and an object the server has no model of). Read, Write and read back, Execute (the
// client runs it), Observe with the value changing live and its sparkline, Cancel, Write-Attributes
// seen in Discover, Create and Delete an instance, and a DDF upload that names the unknown object.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import { temperatureSensor, type TemperatureSensor } from '../../src/client/objects/temperatureInstance.js';
import { LIGHT_CONTROL_1_0 } from '../../src/model/core/lightControl.js';
import { parseDdf } from '../../src/model/ddfLoader.js';
import { sampleDdf } from '../support/sampleDdf.js';
import { waitUntil } from '../support/waitUntil.js';
import { openBrowser, screenshot, watchPageErrors } from './support/browser.js';
import { startUiServer, type UiServer } from './support/uiServer.js';

const EP = `ui-device-${process.pid}`;
const TANK_DDF = sampleDdf(32769, 'Tank');

/** Waits until the text of `locator` matches `re`; fails naming `what` and the last text seen. */
async function textMatches(locator: Locator, re: RegExp, what: string): Promise<void> {
  let last: string | null = null;
  await waitUntil(async () => re.test((last = await locator.textContent()) ?? ''), `${what} (last: ${last})`);
}

describe('device page object tree', () => {
  let browser: Browser | undefined;
  let server: UiServer;
  let client: Lwm2mClient;
  let sensor: TemperatureSensor;
  let reboots = 0;
  let tankInstance: ReturnType<typeof declareInstance>;
  const flushes: (string | undefined)[] = [];

  before(async () => {
    server = await startUiServer();
    sensor = temperatureSensor({ value: 19 });
    const tank = parseDdf(TANK_DDF, 'tank.xml')[0]!;
    tankInstance = declareInstance(
      tank,
      0,
      { 0: 1.5, 1: 40, 3: [5, 10] },
      { execute: { 2: (args) => void flushes.push(args) } },
    );
    client = new Lwm2mClient({
      endpoint: EP,
      servers: [{ uri: server.coapUri, ssid: 1, lifetime: 300 }],
      bind: { address: '127.0.0.1', port: 0 },
      device: { manufacturer: 'UI Corp', modelNumber: 'u1', timezone: 'UTC', onReboot: () => reboots++ },
      models: [LIGHT_CONTROL_1_0],
      objects: [sensor.instance, tankInstance],
    });
    await client.start();
    await server.running.server.waitForRegistration(EP);
  });
  after(async () => {
    await browser?.close();
    await client?.stop().catch(() => undefined);
    await server?.close();
  });

  test('reads, writes, executes, observes live, sets attributes, creates and deletes, uploads a model', async (t) => {
    browser = await openBrowser(t);
    if (!browser) return;
    const page: Page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchPageErrors(page);
    await page.goto(`${server.baseUrl}/#/clients/${EP}`);
    await page.getByRole('heading', { name: 'Objects' }).waitFor();
    await page.getByText('Temperature', { exact: true }).waitFor();
    await page.getByRole('form', { name: 'Request settings' }).waitFor();

    // Read
    await page.getByRole('button', { name: 'Read /3/0/0', exact: true }).click();
    await textMatches(
      page.getByLabel('Value of /3/0/0', { exact: true }),
      /^UI Corp$/,
      'the manufacturer read',
    );
    await textMatches(
      page.getByLabel('Read /3/0/0 result', { exact: true }),
      /^2\.05 /,
      'the read result code',
    );

    // A failure shows its code beside the button and its message as an alert
    await page.getByRole('button', { name: 'Read /3303/0/5603', exact: true }).click();
    await textMatches(
      page.getByLabel('Read /3303/0/5603 result', { exact: true }),
      /^4\.04 /,
      'the 4.04 of a read',
    );
    await page.getByRole('alert').filter({ hasText: 'Read /3303/0/5603:' }).waitFor();

    // Write, then read back
    await page.getByRole('button', { name: 'More on /3/0/15', exact: true }).click();
    await page.getByLabel('New value of /3/0/15').fill('Europe/Paris');
    await page.getByRole('button', { name: 'Write /3/0/15', exact: true }).click();
    await textMatches(
      page.getByLabel('Write /3/0/15 result', { exact: true }),
      /^2\.04 /,
      'the write result',
    );
    await page.getByRole('button', { name: 'Read /3/0/15', exact: true }).click();
    await textMatches(
      page.getByLabel('Value of /3/0/15', { exact: true }),
      /^Europe\/Paris$/,
      'the value read back',
    );

    // Execute: the client runs it
    await page.getByRole('button', { name: 'Execute /3/0/4', exact: true }).click();
    await waitUntil(() => reboots === 1, 'the client to run Reboot');
    await textMatches(
      page.getByLabel('Execute /3/0/4 result', { exact: true }),
      /^2\.04 /,
      'the execute result',
    );

    // Observe: the value changes live, with a sparkline once two numbers are known
    await page.getByRole('button', { name: 'Observe /3303/0/5700', exact: true }).click();
    await textMatches(
      page.getByLabel('Value of /3303/0/5700', { exact: true }),
      /^19$/,
      'the first observed value',
    );
    sensor.record(27.5);
    await textMatches(
      page.getByLabel('Value of /3303/0/5700', { exact: true }),
      /^27\.5$/,
      'the notified value',
    );
    await page
      .getByRole('img', { name: /Recent values of \/3303\/0\/5700: last 2 values, from 19 to 27\.5/ })
      .waitFor();

    // Cancel: the server holds no observation any more
    await page.getByRole('button', { name: 'Cancel /3303/0/5700', exact: true }).click();
    await textMatches(
      page.getByLabel('Cancel /3303/0/5700 result', { exact: true }),
      /^cancelled 1 /,
      'the cancel result',
    );
    const list = (await (await fetch(`${server.baseUrl}/api/clients/${EP}/observations`)).json()) as {
      items: unknown[];
    };
    assert.deepEqual(list.items, []);

    // Write-Attributes, seen in Discover
    await page.getByRole('button', { name: 'More on /3303/0/5700', exact: true }).click();
    await page.getByRole('button', { name: 'Attributes /3303/0/5700', exact: true }).click();
    await page.getByLabel('Minimum period (s) between notifications').fill('10');
    await page.getByLabel('Maximum period (s) between notifications').fill('60');
    await page.getByRole('button', { name: 'Write-Attributes /3303/0/5700', exact: true }).click();
    await textMatches(
      page.getByLabel('Write-Attributes /3303/0/5700 result', { exact: true }),
      /^2\.04 /,
      'write-attributes',
    );
    await page.getByRole('button', { name: 'Discover /3303/0/5700', exact: true }).click();
    const discovered = page.getByRole('list', { name: 'Discovered at /3303/0/5700' });
    await textMatches(discovered, /pmin=10/, 'pmin in Discover');
    assert.match((await discovered.textContent()) ?? '', /pmax=60/);

    // Create an instance of Light Control, then delete it
    await page.getByRole('button', { name: 'Create instance form /3311', exact: true }).click();
    await page.getByLabel('On/Off (5850)').selectOption('true');
    await page.getByLabel('Dimmer (5851)').fill('40');
    await page.getByRole('button', { name: 'Create instance /3311', exact: true }).click();
    await textMatches(
      page.getByLabel('Create instance /3311 result', { exact: true }),
      /^2\.01 /,
      'the create result',
    );
    await page.getByText('/3311/0', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Read /3311/0/5851', exact: true }).click();
    await textMatches(
      page.getByLabel('Value of /3311/0/5851', { exact: true }),
      /^40$/,
      'the created instance read',
    );
    // Write of the instance (a partial update by default)
    await page.getByRole('button', { name: 'Create instance form /3311', exact: true }).click();
    await page.getByRole('button', { name: 'Write form /3311/0', exact: true }).click();
    await page.getByLabel('Dimmer (5851)').fill('70');
    await page.getByRole('button', { name: 'Write /3311/0', exact: true }).click();
    await textMatches(
      page.getByLabel('Write /3311/0 result', { exact: true }),
      /^2\.04 /,
      'the instance write',
    );
    await page.getByRole('button', { name: 'Read /3311/0', exact: true }).click();
    await textMatches(
      page.getByLabel('Value of /3311/0/5851', { exact: true }),
      /^70$/,
      'the instance read back',
    );
    assert.equal(
      await page.getByLabel('Value of /3311/0/5850', { exact: true }).textContent(),
      'true',
      'kept',
    );
    await page.getByRole('button', { name: 'Delete /3311/0', exact: true }).click();
    await page.getByText('/3311/0', { exact: true }).waitFor({ state: 'detached' });
    const gone = await fetch(`${server.baseUrl}/api/clients/${EP}/3311/0`);
    assert.equal(gone.status, 404, 'the client no longer has the instance');

    // DDF upload: the unknown object gets its name, and the running server types its values
    await page.getByText('Unknown object').waitFor();
    const tlvRead = async () =>
      (
        (await (await fetch(`${server.baseUrl}/api/clients/${EP}/32769/0/0?format=tlv`)).json()) as {
          content: { type: string; value: unknown };
        }
      ).content;
    assert.equal((await tlvRead()).type, 'opaque', 'a TLV value of an unknown object is opaque');
    await page.getByRole('button', { name: 'Read /32769/0', exact: true }).click();
    await textMatches(page.getByLabel('Value of /32769/0/1', { exact: true }), /^40$/, 'a raw resource read');
    assert.equal(await page.getByText('not in the model').count(), 3, 'the resources read, shown raw');
    await page.getByLabel('Upload a DDF model (XML)').setInputFiles({
      name: 'tank.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(TANK_DDF),
    });
    await textMatches(
      page.getByLabel('Upload result', { exact: true }),
      /Added Tank \(32769\) v1\.0/,
      'the upload result',
    );
    await page.getByText('Tank', { exact: true }).waitFor();
    assert.equal(await page.getByText('Unknown object').count(), 0);
    assert.equal(await page.getByText('not in the model').count(), 0, 'named by the model now');
    assert.deepEqual(await tlvRead(), { kind: 'resource', id: 0, type: 'float', value: 1.5 });
    await page.getByRole('button', { name: 'Read /32769/0/1', exact: true }).click();
    await textMatches(
      page.getByLabel('Value of /32769/0/1', { exact: true }),
      /^40$/,
      'a read of the uploaded object',
    );

    // A multiple-instance resource: read, remove one instance, add one, write (replace), read back
    await page.getByRole('button', { name: 'Read /32769/0/3', exact: true }).click();
    await textMatches(
      page.getByLabel('Value of /32769/0/3/1', { exact: true }),
      /^10$/,
      'a resource instance read',
    );
    await page.getByRole('button', { name: 'More on /32769/0/3', exact: true }).click();
    await page.getByRole('button', { name: 'Remove instance 1 of /32769/0/3', exact: true }).click();
    await page.getByRole('button', { name: 'Add instance', exact: true }).click();
    await page.getByLabel('Value 2 of /32769/0/3', { exact: true }).fill('90');
    await page.getByRole('button', { name: 'Write /32769/0/3', exact: true }).click();
    await textMatches(
      page.getByLabel('Write /32769/0/3 result', { exact: true }),
      /^2\.04 /,
      'the multiple write',
    );
    const written = tankInstance.read(3);
    assert.deepEqual(
      written?.kind === 'multipleResource' ? written.instances.map((i) => [i.id, i.value.value]) : [],
      [
        [1, 10],
        [2, 90],
      ],
    );
    await page.getByRole('button', { name: 'Read /32769/0/3', exact: true }).click();
    await textMatches(
      page.getByLabel('Value of /32769/0/3/2', { exact: true }),
      /^90$/,
      'the added instance',
    );
    await page.getByLabel('Value of /32769/0/3/0', { exact: true }).waitFor({ state: 'detached' });

    // Execute with arguments
    await page.getByRole('button', { name: 'More on /32769/0/2', exact: true }).click();
    await page.getByLabel('Arguments', { exact: true }).fill("0='fast'");
    await page.getByRole('button', { name: 'Execute with arguments /32769/0/2', exact: true }).click();
    await waitUntil(() => flushes.length === 1, 'the client to run Flush');
    assert.equal(flushes[0], "0='fast'");

    // Request settings reach the requests; a queued answer (202) shows its queue id
    await page.getByLabel('Format', { exact: true }).selectOption('text');
    await page.getByLabel('Timeout (s)', { exact: true }).fill('7');
    await page.getByLabel('Timeout (s)', { exact: true }).press('Tab');
    await page.getByLabel('Queue if sleeping (answer at once with the queue id)').check();
    let asked: URL | undefined;
    await page.route(`**/api/clients/${EP}/3/0/1?*`, (route) => {
      asked = new URL(route.request().url());
      return route.fulfill({
        status: 202,
        contentType: 'application/json',
        body: JSON.stringify({ id: 'q-test-1', status: 'queued' }),
      });
    });
    await page.getByRole('button', { name: 'Read /3/0/1', exact: true }).click();
    await textMatches(
      page.getByLabel('Read /3/0/1 result', { exact: true }),
      /^queued q-test-1 /,
      'the queued id',
    );
    assert.equal(asked?.searchParams.get('wait'), 'false');
    assert.equal(asked?.searchParams.get('timeout'), '7');
    assert.equal(asked?.searchParams.get('format'), 'text');
    await page.unroute(`**/api/clients/${EP}/3/0/1?*`);
    await page.getByLabel('Queue if sleeping (answer at once with the queue id)').uncheck();
    // by keyboard: the operations are real buttons
    await page.getByRole('button', { name: 'Read /3/0/1', exact: true }).focus();
    await page.keyboard.press('Enter');
    await textMatches(page.getByLabel('Value of /3/0/1', { exact: true }), /^u1$/, 'a text-format read');

    await screenshot(page, 'device');
    // The 4.04 read above is the one failed request the browser logs.
    assert.deepEqual(
      errors().filter((e) => !e.includes('status of 404')),
      [],
    );
    await page.close();
  });
});
