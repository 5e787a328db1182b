// Settings of `lwm2m server` and `lwm2m bootstrap` from a JSON file and the environment (issue 12
// item 14): command line > environment > file > default; an unknown key or a wrong type is an
// error naming the key (the CLI exits with code 2 for it, see cliOptions.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServerArgs } from '../../src/cli/serverCommand.js';
import { parseBootstrapArgs } from '../../src/cli/bootstrapCommand.js';
import { ConfigError, envName } from '../../src/cli/configSources.js';

let dir: string;
let n = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lwm2m-settings-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function file(content: unknown): Promise<string> {
  const path = join(dir, `s${n++}.json`);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('lwm2m server settings', () => {
  test('command line beats environment, which beats the file, which beats defaults', async () => {
    const path = await file({ httpPort: 1001, coapPort: 1002, logLevel: 'debug', logFormat: 'json' });
    const o = parseServerArgs(['--config', path, '--http-port', '3001'], {
      LWM2M_HTTP_PORT: '2001',
      LWM2M_COAP_PORT: '2002',
    });
    assert.equal(o.httpPort, 3001, 'command line');
    assert.equal(o.coapPort, 2002, 'environment');
    assert.equal(o.logLevel, 'debug', 'file');
    assert.equal(o.logFormat, 'json', 'file');
    assert.equal(o.httpAddress, '127.0.0.1', 'default');
    assert.equal(o.drainDelay, 5000, 'default');
  });

  test('every option can come from the file, including those without a default', async () => {
    const settings = {
      coapPort: 5690,
      coapAddress: '0.0.0.0',
      httpPort: 8090,
      httpAddress: '::1',
      publicUri: 'coap://lwm2m.example.com:5690',
      logLevel: 'warn',
      logFormat: 'json',
      drainDelay: 0,
      bootstrapPort: 5790,
      bootstrapCoapsPort: 5791,
      coapsPort: 5691,
      coaps: false,
      securityFile: 'creds.json',
      requireSecurity: true,
      models: 'ddf',
      apiKeysFile: 'keys.txt',
      httpHost: ['lwm2m.example.com', 'api.example.com'],
      httpOrigin: ['https://ui.example.com'],
      insecure: false,
      maxRegistrations: 5000,
      registrationsPerSecond: 2,
      maxObservationsPerClient: 16,
      maxNotificationsPerSecond: 1000,
      maxPeers: 9000,
      store: 'memory',
      dataDir: '/var/lib/lwm2m',
      ui: false,
      udpSendThread: false,
    };
    const path = await file(settings);
    assert.deepEqual(parseServerArgs(['--config', path]), { ...settings, config: path });
  });

  test('LWM2M_CONFIG names the file; variables are the options in capitals', async () => {
    const path = await file({ bootstrapPort: 5999 });
    assert.equal(parseServerArgs([], { LWM2M_CONFIG: path }).bootstrapPort, 5999);
    assert.equal(parseServerArgs([], { LWM2M_PUBLIC_URI: 'coap://10.1.2.3' }).publicUri, 'coap://10.1.2.3');
    assert.equal(envName('drainDelay'), 'DRAIN_DELAY');
  });

  const errors: Array<{ name: string; settings: unknown; message: RegExp }> = [
    { name: 'an unknown key', settings: { httpPrt: 8080 }, message: /unknown key "httpPrt"/ },
    {
      name: 'a number out of range',
      settings: { httpPort: 70000 },
      message: /key "httpPort": must be a port/,
    },
    {
      name: 'a wrong type',
      settings: { httpPort: true },
      message: /key "httpPort" must be a string or a number/,
    },
    {
      name: 'a bad choice',
      settings: { logFormat: 'xml' },
      message: /key "logFormat": must be one of pretty, json/,
    },
    { name: 'a bad URI', settings: { publicUri: 'http://x' }, message: /key "publicUri": only coap:\/\// },
    { name: 'an array', settings: [], message: /must hold a JSON object/ },
    { name: 'text that is not JSON', settings: '{"httpPort": ', message: /is not JSON/ },
  ];
  for (const c of errors)
    test(`refuses ${c.name} in the file, naming the key`, async () => {
      const path = await file(c.settings);
      assert.throws(
        () => parseServerArgs(['--config', path]),
        (e: Error) => {
          assert.ok(e instanceof ConfigError, e.message);
          assert.match(e.message, c.message);
          return true;
        },
      );
    });

  test('refuses a bad variable, naming it, and a missing file', () => {
    assert.throws(
      () => parseServerArgs([], { LWM2M_COAP_PORT: 'x' }),
      /environment variable LWM2M_COAP_PORT: must be a port/,
    );
    assert.throws(
      () => parseServerArgs(['--config', join(dir, 'missing.json')]),
      /cannot read settings file/,
    );
  });
});

describe('lwm2m bootstrap settings', () => {
  test('--settings file and LWM2M_BOOTSTRAP_* variables, command line first', async () => {
    const path = await file({ serverUri: 'coap://10.0.0.1:5683', coapPort: 5800, httpPort: 8081 });
    const o = parseBootstrapArgs(['--settings', path, '--coap-port', '5801'], {
      LWM2M_BOOTSTRAP_HTTP_PORT: '8082',
      LWM2M_BOOTSTRAP_LOG_LEVEL: 'warn',
    });
    assert.equal(o.coapPort, 5801);
    assert.equal(o.httpPort, 8082);
    assert.equal(o.logLevel, 'warn');
    assert.equal(o.serverUri, 'coap://10.0.0.1:5683');
  });

  test('--config stays the bootstrap configs file, and can be set from the settings file', async () => {
    const path = await file({ config: 'bs.json' });
    assert.equal(parseBootstrapArgs(['--settings', path]).config, 'bs.json');
    const bad = await file({ settings: 'other.json', serverUri: 'coap://h' });
    assert.throws(() => parseBootstrapArgs(['--settings', bad]), /unknown key "settings"/);
  });
});
