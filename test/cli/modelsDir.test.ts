// `--models DIR` of `lwm2m server` and `lwm2m bootstrap` (Core TS 1.1.1 Appendix D, DDF files):
// vendor object models load over the core objects, so a TLV read of a vendor object decodes to
// typed values, bootstrap configs may write vendor resources, and a bad DDF stops the start with
// an error naming the file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBootstrapArgs, runBootstrap } from '../../src/cli/bootstrapCommand.js';
import { loadModelsDir } from '../../src/cli/loadModelsDir.js';
import { parseServerArgs, runServer, type ServerCliOptions } from '../../src/cli/serverCommand.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { hex } from '../support/RawCoapPeer.js';
import { contentFormat, ScriptedClient } from '../support/ScriptedClient.js';
import { silentLog } from '../support/captureLog.js';

const VENDOR_ID = 33000;
const item = (id: number, name: string, type: string): string =>
  `<Item ID="${id}"><Name>${name}</Name><Operations>RW</Operations><MultipleInstances>Single</MultipleInstances>` +
  `<Mandatory>Mandatory</Mandatory><Type>${type}</Type><RangeEnumeration></RangeEnumeration><Units></Units>` +
  `<Description>${name}</Description></Item>`;
const VENDOR_DDF = `<?xml version="1.0" encoding="UTF-8"?>
<LWM2M><Object ObjectType="MODefinition"><Name>Vendor Counter</Name><Description1>test</Description1>
<ObjectID>${VENDOR_ID}</ObjectID><ObjectURN>urn:oma:lwm2m:x:${VENDOR_ID}</ObjectURN><LWM2MVersion>1.0</LWM2MVersion>
<ObjectVersion>1.0</ObjectVersion><MultipleInstances>Multiple</MultipleInstances><Mandatory>Optional</Mandatory>
<Resources>${item(1, 'Count', 'Integer')}${item(2, 'Label', 'String')}</Resources><Description2></Description2>
</Object></LWM2M>
`;

let root: string;
let good: string;
let bad: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'lwm2m-models-'));
  good = join(root, 'good');
  bad = join(root, 'bad');
  await mkdir(good);
  await mkdir(bad);
  await writeFile(join(good, `${VENDOR_ID}.xml`), VENDOR_DDF);
  await writeFile(join(good, 'README.txt'), 'not a DDF: ignored');
  await writeFile(join(bad, `${VENDOR_ID}.xml`), VENDOR_DDF);
  await writeFile(join(bad, 'broken.xml'), VENDOR_DDF.replace('<Type>Integer</Type>', '<Type>Number</Type>'));
});
after(() => rm(root, { recursive: true, force: true }));

const serverOptions = (extra: Partial<ServerCliOptions> = {}): ServerCliOptions => ({
  coapPort: 0,
  coapAddress: '127.0.0.1',
  httpPort: 0,
  httpAddress: '127.0.0.1',
  logLevel: 'silent',
  ...extra,
});

describe('--models', () => {
  test('is an option of lwm2m server and lwm2m bootstrap', () => {
    assert.equal(parseServerArgs(['--models', 'ddf']).models, 'ddf');
    assert.equal(parseServerArgs([]).models, undefined);
    const b = parseBootstrapArgs(['--server-uri', 'coap://127.0.0.1:5683', '--models', 'ddf']);
    assert.equal(b.models, 'ddf');
  });

  test('lwm2m server decodes a TLV read of a vendor object to typed values', async () => {
    const running = await runServer(serverOptions({ models: good }), { log: silentLog() });
    const client = await ScriptedClient.open({ address: '127.0.0.1', port: running.server.address().port });
    try {
      await client.register(['ep=vendor', 'lt=60', 'lwm2m=1.0', 'b=U'], `</${VENDOR_ID}/0>`);
      const pending = running.server.read('vendor', `/${VENDOR_ID}/0`);
      const req = await client.nextRequest();
      // Resource 1 = Integer 300 (c2 01 012c), resource 2 = String "ab" (c2 02 6162).
      await client.respond(req, Code.CONTENT, hex('c201012c c2026162'), [contentFormat(ContentFormat.TLV)]);
      const res = await pending;
      assert.equal(res.ok, true, res.diagnostic);
      const node = res.content;
      assert.ok(node && node.kind === 'instance');
      const byId = new Map(node.resources.map((r) => [r.id, r.kind === 'resource' ? r.value : undefined]));
      assert.deepEqual(byId.get(1), { type: 'integer', value: 300 });
      assert.deepEqual(byId.get(2), { type: 'string', value: 'ab' });
    } finally {
      await client.close();
      await running.stop();
    }
  });

  test('the bootstrap server beside lwm2m server (--bootstrap-port) gets the same models', async () => {
    const running = await runServer(serverOptions({ models: good, bootstrapPort: 0 }), { log: silentLog() });
    try {
      assert.ok(running.bootstrap?.server.config.models.getObject(VENDOR_ID));
      assert.ok(running.server.config.models.getObject(VENDOR_ID));
      assert.ok(running.server.config.models.getObject(3), 'the core objects stay');
    } finally {
      await running.stop();
    }
  });

  test('lwm2m bootstrap accepts a config writing a vendor resource', async () => {
    const config = join(root, 'bs.json');
    await writeFile(
      config,
      JSON.stringify({ '*': { servers: {}, security: {}, objects: { [`/${VENDOR_ID}/0/1`]: 7 } } }),
    );
    const o = { coapPort: 0, coapAddress: '127.0.0.1', httpAddress: '127.0.0.1', config };
    await assert.rejects(runBootstrap(o, silentLog()), /33000/, 'without the models the config is refused');
    const running = await runBootstrap({ ...o, models: good }, silentLog());
    try {
      assert.ok(running.server.config.models.getObject(VENDOR_ID));
    } finally {
      await running.stop();
    }
  });

  test('a bad DDF file stops the start with an error naming the file', async () => {
    const named = (e: unknown): boolean => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /invalid DDF file .*broken\.xml:\d+/);
      return true;
    };
    await assert.rejects(runServer(serverOptions({ models: bad }), { log: silentLog() }), named);
    await assert.rejects(
      runServer(serverOptions({ models: bad, bootstrapPort: 0 }), { log: silentLog() }),
      named,
    );
    await assert.rejects(
      runBootstrap({ coapPort: 0, coapAddress: '127.0.0.1', httpAddress: '127.0.0.1', models: bad }),
      named,
    );
  });

  test('refuses a missing folder, a folder without DDF files and one object defined twice', async () => {
    await assert.rejects(loadModelsDir(join(root, 'absent')), /--models .*absent: cannot read the folder/);
    await assert.rejects(loadModelsDir(root), /no \.xml DDF file/);
    const twice = join(root, 'twice');
    await mkdir(twice);
    await writeFile(join(twice, 'a.xml'), VENDOR_DDF);
    await writeFile(join(twice, 'b.xml'), VENDOR_DDF);
    await assert.rejects(
      loadModelsDir(twice),
      /b\.xml defines object 33000 version 1\.0, already defined in .*a\.xml/,
    );
  });
});
