// Interop: libcoap's coap-client-notls plays the LwM2M Server against our client device on
// 127.0.0.1 (no registration: a client without server accounts answers any peer). Each request
// gets the code of LwM2M Core TS 5.4 / Transport TS 6.4.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { requirePeer } from '../support/peers.js';

const run = promisify(execFile);
const peer = requirePeer('coap-client-notls', 'libcoap3-bin');

describe('coap-client-notls against our LwM2M client device', { skip: peer.skip }, () => {
  let client: Lwm2mClient;
  let base: string;
  let dir: string;
  let reboots = 0;

  before(async () => {
    client = new Lwm2mClient({
      endpoint: 'interop-device',
      transport: await UdpTransport.bind({ address: '127.0.0.1', port: 0 }),
      device: { manufacturer: 'ACME Interop', modelNumber: 'X1', batteryLevel: 77 },
    });
    client.on('reboot', () => reboots++);
    await client.start();
    base = `coap://127.0.0.1:${client.endpoint.address().port}`;
    dir = mkdtempSync(join(tmpdir(), 'lwm2m-interop-'));
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs coap-client and returns stdout and stderr together (it prints error codes like "4.04"). */
  async function coap(args: string[]): Promise<string> {
    const r = await run(peer.path!, ['-B', '5', ...args], { timeout: 10_000 }).catch(
      (e: { stdout: string; stderr: string }) => e,
    );
    return r.stdout + r.stderr;
  }

  test('GET /3/0/0 returns the manufacturer as text', async () => {
    const out = await coap(['-m', 'get', `${base}/3/0/0`]);
    assert.equal(out.trim(), 'ACME Interop');
  });

  test('GET /3/0 with Accept TLV returns a TLV instance our codec reads back', async () => {
    const file = join(dir, 'device.tlv');
    await coap(['-m', 'get', '-A', '11542', '-o', file, `${base}/3/0`]);
    const raw = readFileSync(file);
    const node = tlvNodeCodec.decode(new Uint8Array(raw), Lwm2mPath.parse('/3/0'), createCoreRegistry());
    assert.equal(node.kind, 'instance');
    const manufacturer = node.kind === 'instance' ? node.resources.find((r) => r.id === 0) : undefined;
    assert.equal(manufacturer?.kind === 'resource' ? manufacturer.value.value : undefined, 'ACME Interop');
  });

  test('PUT to a read-only resource answers 4.05', async () => {
    const out = await coap(['-m', 'put', '-t', '0', '-e', 'X', `${base}/3/0/0`]);
    assert.match(out, /4\.05/);
  });

  test('GET of an unknown object answers 4.04', async () => {
    const out = await coap(['-m', 'get', `${base}/99/0`]);
    assert.match(out, /4\.04/);
  });

  test('PUT with Content-Format 9999 answers 4.15', async () => {
    const out = await coap(['-m', 'put', '-t', '9999', '-e', 'X', `${base}/3/0/14`]);
    assert.match(out, /4\.15/);
  });

  test('PUT of a malformed TLV payload answers 4.00', async () => {
    const file = join(dir, 'bad.tlv');
    writeFileSync(file, Buffer.from([0xc8, 0x0e, 0x10, 0x41])); // claims 16 bytes, carries 1
    const out = await coap(['-m', 'put', '-t', '11542', '-f', file, `${base}/3/0`]);
    assert.match(out, /4\.00/);
  });

  test('POST /3/0/4 executes Reboot and answers 2.04', async () => {
    const before = reboots;
    const out = await coap(['-m', 'post', `${base}/3/0/4`]);
    assert.doesNotMatch(out, /[45]\.\d\d/);
    assert.equal(reboots, before + 1);
  });
});
