// Issue 16 item 5 in a real browser: a bootstrap config created in the Bootstrap page's form,
// edited (form and JSON tabs, the API's validation error shown), then a simulated device
// bootstraps with it and registers with what it said, while the page's timeline shows the
// session's steps; keys and certificates loaded from PEM files become the config's DER, and an
// edit that does not touch a key keeps it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { withTimeout } from '../integration/support/e2e.js';
import { waitUntil } from '../support/waitUntil.js';
import { openBrowser, screenshot, watchPageErrors } from './support/browser.js';
import { startUiServer, type UiServer } from './support/uiServer.js';

const EP = 'ui-bs-1';

describe('web UI bootstrap page', () => {
  let browser: Browser | undefined;
  let server: UiServer;
  before(async () => {
    server = await startUiServer();
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  async function openPage(t: Parameters<typeof openBrowser>[0], hash: string): Promise<Page | undefined> {
    browser ??= await openBrowser(t);
    if (!browser) return undefined;
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/#/bootstrap${hash}`);
    await page.getByRole('heading', { name: 'Bootstrap', exact: true }).waitFor();
    return page;
  }

  test('a config made and edited in the page bootstraps a device, whose session shows live', async (t) => {
    const page = await openPage(t, '');
    if (!page) return;
    const errors = watchPageErrors(page);
    await page.getByRole('link', { name: 'New config' }).click();
    await page.getByLabel('Endpoint ("*" for the default config)').fill(EP);
    const account = page.getByRole('group', { name: /LwM2M Server account 1/ });
    await account.getByLabel('URI', { exact: true }).fill(server.coapUri);
    await account.getByLabel('Lifetime (s)').fill('300');
    await page.getByRole('button', { name: 'Save config' }).click();
    await page.getByRole('heading', { name: `Bootstrap config of ${EP}` }).waitFor();
    await page.getByRole('link', { name: EP }).waitFor(); // listed

    // edit in the form: the lifetime the device will register with
    const edited = page.getByRole('group', { name: /LwM2M Server account 1/ });
    assert.equal(await edited.getByLabel('URI', { exact: true }).inputValue(), server.coapUri);
    await edited.getByLabel('Lifetime (s)').fill('120');
    await page.getByRole('button', { name: 'Save config' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Saved the config of ${EP}` })
      .waitFor();

    // the JSON tab holds the full config; a bad edit shows the API's error, naming the field
    await page.getByRole('tab', { name: 'JSON' }).click();
    const json = page.getByLabel('Config JSON');
    const text = await json.inputValue();
    assert.match(text, /"lifetime": 120/);
    await json.fill(text.replace('"binding": "U"', '"binding": "X"'));
    await page.getByRole('button', { name: 'Save config' }).click();
    await page.getByRole('alert').filter({ hasText: 'servers.0.binding' }).waitFor();
    await json.fill(text);
    await page.getByRole('button', { name: 'Save config' }).click();
    await page.getByRole('alert').waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Form' }).click();
    assert.equal(
      await page
        .getByRole('group', { name: /LwM2M Server account 1/ })
        .getByLabel('Lifetime (s)')
        .inputValue(),
      '120',
    );

    const client = new Lwm2mClient({
      endpoint: EP,
      bind: { address: '127.0.0.1', port: 0 },
      bootstrapServer: { uri: server.bootstrapUri },
      requestTimeoutMs: 5_000,
    });
    try {
      await client.start();
      const reg = await server.running.server.waitForRegistration(EP, 15_000);
      assert.equal(reg.lifetime, 120, 'the device registered with what the edited config said');
      const timeline = page.getByRole('region', { name: 'Bootstrap sessions' });
      await timeline.getByText(/^finished/).waitFor({ timeout: 10_000 });
      const steps = timeline.getByRole('list', { name: /Steps of session/ }).first();
      await steps.getByText('2.04').first().waitFor();
      const names = await steps.locator('.step-name').allTextContents();
      assert.ok(
        names.some((n) => /write/i.test(n)),
        `a write step: ${names.join(', ')}`,
      );
      assert.ok(
        names.some((n) => /finish/i.test(n)),
        `a finish step: ${names.join(', ')}`,
      );
      await screenshot(page, 'bootstrap');
      await timeline.getByRole('button', { name: 'Clear' }).click();
      await timeline.getByText('No bootstrap session yet.').waitFor();
    } finally {
      await withTimeout(client.stop(), 3_000).catch(() => undefined);
    }
    // the one failed request is the refused save of the bad JSON
    assert.deepEqual(
      errors().filter((e) => !e.includes('status of 400')),
      [],
    );
    await page.close();
  });

  test('keys and certificates from PEM files; an edit keeps the stored key; delete', async (t) => {
    const page = await openPage(t, '?new');
    if (!page) return;
    const errors = watchPageErrors(page);
    const clientKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const serverKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = (name: string, text: string) => ({
      name,
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(text),
    });
    await page.getByLabel('Endpoint ("*" for the default config)').fill('ui-rpk-1');
    const account = page.getByRole('group', { name: /LwM2M Server account 1/ });
    await account.getByLabel('URI', { exact: true }).fill('coaps://127.0.0.1:5684');
    await account.getByLabel('Security mode').selectOption('rpk');
    await account
      .getByLabel('or load the public key file')
      .setInputFiles(
        pem('client.pub.pem', clientKeys.publicKey.export({ type: 'spki', format: 'pem' }) as string),
      );
    await account
      .getByLabel('or load the private key file')
      .setInputFiles(
        pem('client.key.pem', clientKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
      );
    await account
      .getByLabel('or load the server key file')
      .setInputFiles(
        pem('server.pub.pem', serverKeys.publicKey.export({ type: 'spki', format: 'pem' }) as string),
      );
    const clientDer = clientKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
    // the file input's handler fills the field asynchronously (FileReader)
    const clientField = account.getByLabel('Client public key (hex DER)');
    await waitUntil(async () => (await clientField.inputValue()) === clientDer, 'the key file read');
    await page.getByRole('button', { name: 'Save config' }).click();
    await page.getByRole('heading', { name: 'Bootstrap config of ui-rpk-1' }).waitFor();

    const store = server.running.bootstrap!.server.config.configStore;
    const saved = await store.getExact('ui-rpk-1');
    const privateDer = clientKeys.privateKey.export({ type: 'pkcs8', format: 'der' });
    assert.equal(Buffer.from(saved!.security[1]!.publicKeyOrIdentity!).toString('hex'), clientDer);
    assert.ok(Buffer.from(saved!.security[1]!.secretKey!).equals(privateDer));

    // the form never shows the key back; saving without touching it keeps it
    const reopened = page.getByRole('group', { name: /LwM2M Server account 1/ });
    await reopened.getByText(/A key is stored \(\d+ bytes\) and kept/).waitFor();
    assert.equal(await reopened.getByLabel('Client private key (hex DER)').inputValue(), '');
    await reopened.getByLabel('Lifetime (s)').fill('900');
    await page.getByRole('button', { name: 'Save config' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the config of ui-rpk-1' }).waitFor();
    const kept = await store.getExact('ui-rpk-1');
    assert.equal(kept!.servers[0]!.lifetime, 900);
    assert.ok(Buffer.from(kept!.security[1]!.secretKey!).equals(privateDer), 'the stored key was kept');
    assert.ok(!(await page.content()).includes(privateDer.toString('hex')), 'no key in the page');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete config' }).click();
    await page.getByText('Choose a config, or start a new one.').waitFor();
    assert.equal(await store.getExact('ui-rpk-1'), undefined);
    assert.deepEqual(errors(), []);
    await page.close();
  });
});
