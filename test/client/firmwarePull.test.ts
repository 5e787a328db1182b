// LwM2M Core TS 1.1.1 Appendix E.6 (pull delivery through Package URI): downloads over coap://
// (block-wise from one of our CoapEndpoints on 127.0.0.1) and http:// (a node:http server on
// 127.0.0.1), and the failure results: 4 connection lost (closed port, timeout), 7 invalid URI
// (unparsable, 4.04 / 404), 9 unsupported protocol, 2 too large, 10 cancelled.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { systemClock, type Clock } from '../../src/coap/Clock.js';
import { Router } from '../../src/coap/Router.js';
import { PackageDownloader, FirmwareDownloadError } from '../../src/client/firmware/PackageDownloader.js';
import {
  buildSimulatedPackage,
  verifySimulatedPackage,
} from '../../src/client/firmware/simulatedInstaller.js';
import {
  firmwareUpdateInstance,
  type FirmwareUpdateInstance,
} from '../../src/client/objects/firmwareUpdateInstance.js';
import { resource } from '../../src/lwm2m/nodes.js';
import { stringValue } from '../../src/lwm2m/values.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { ManualClock } from '../support/ManualClock.js';

const body = new Uint8Array(100_000).map((_, i) => (i * 13) & 0xff);
const PACKAGE = buildSimulatedPackage({ name: 'app', version: '3.1.4', body });
const CORRUPT = PACKAGE.slice();
CORRUPT[50_000] = CORRUPT[50_000]! ^ 0x01;

function instance(clock: Clock = systemClock, downloader?: PackageDownloader): FirmwareUpdateInstance {
  return firmwareUpdateInstance({
    clock,
    installer: { verify: verifySimulatedPackage, install: async () => undefined },
    ...(downloader ? { downloader } : {}),
  });
}
const writeUri = (fw: FirmwareUpdateInstance, uri: string): void =>
  fw.write(resource(1, stringValue(uri)), 'replace');
const stateAndResult = (fw: FirmwareUpdateInstance): [number, number] => [
  fw.machine.state,
  fw.machine.result,
];

describe('Firmware Update pull over coap://', () => {
  let repo: CoapEndpoint;
  let port: number;
  before(async () => {
    const router = new Router()
      .use('/fw/good.bin', () => ({ code: 0x45, contentFormat: 42, payload: PACKAGE }))
      .use('/fw/corrupt.bin', () => ({ code: 0x45, contentFormat: 42, payload: CORRUPT }))
      .use('/fw', () => ({ code: 0x84 }));
    repo = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1' }), { router }); // block-wise by default
    port = repo.address().port;
  });
  after(() => repo.close());

  test('downloads a 100 kB package block-wise: Downloading, then Downloaded with its name and version', async () => {
    const fw = instance();
    writeUri(fw, `coap://127.0.0.1:${port}/fw/good.bin`);
    assert.deepEqual(stateAndResult(fw), [1, 0]);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [2, 0]);
    const version = fw.read(7);
    assert.ok(version?.kind === 'resource' && version.value.value === '3.1.4');
    fw.execute(2, undefined);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [0, 1]);
  });

  test('a corrupted package ends in Idle with result 5', async () => {
    const fw = instance();
    writeUri(fw, `coap://127.0.0.1:${port}/fw/corrupt.bin`);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [0, 5]);
  });

  test('a 4.04 for the package ends in Idle with result 7 (invalid URI)', async () => {
    const fw = instance();
    writeUri(fw, `coap://127.0.0.1:${port}/fw/missing.bin`);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [0, 7]);
  });

  test('a package over maxBytes fails with result 2', async () => {
    const fw = instance(systemClock, new PackageDownloader({ maxBytes: 10_000 }));
    writeUri(fw, `coap://127.0.0.1:${port}/fw/good.bin`);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [0, 2]);
  });

  test('an unanswered coap:// URI ends in Idle with result 4 once the download deadline passes', async () => {
    const silent = await UdpTransport.bind({ address: '127.0.0.1' }); // receives, never answers
    const clock = new ManualClock();
    try {
      const requested = new Promise<void>((r) => silent.onDatagram(() => r()));
      const fw = instance(clock, new PackageDownloader({ clock, timeoutMs: 30_000 }));
      writeUri(fw, `coap://127.0.0.1:${silent.address().port}/fw/good.bin`);
      await requested; // the downloader's socket is bound and its request in flight
      await clock.advanceAsync(31_000, 1000);
      await fw.idle;
      assert.deepEqual(stateAndResult(fw), [0, 4]);
    } finally {
      await silent.close();
    }
  });
});

describe('Firmware Update pull over http://', () => {
  let server: http.Server;
  let base: string;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/good.bin') res.end(Buffer.from(PACKAGE));
      else if (req.url === '/corrupt.bin') res.end(Buffer.from(CORRUPT));
      else if (req.url === '/broken') res.writeHead(500).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('downloads the package: Downloaded, then Update gives Idle with result 1', async () => {
    const fw = instance();
    writeUri(fw, `${base}/good.bin`);
    assert.equal(fw.machine.state, 1);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [2, 0]);
    fw.execute(2, undefined);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [0, 1]);
  });

  test('a corrupted package gives result 5, a 404 result 7, a 500 result 4', async () => {
    for (const [path, result] of [
      ['/corrupt.bin', 5],
      ['/nothing', 7],
      ['/broken', 4],
    ] as const) {
      const fw = instance();
      writeUri(fw, base + path);
      await fw.idle;
      assert.deepEqual(stateAndResult(fw), [0, result], path);
    }
  });

  test(
    'a closed port (connection refused) gives result 4 before the download deadline',
    { timeout: 10_000 },
    async () => {
      const closed = http.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      // The deadline runs on a clock that never moves, so result 4 can only come from the refusal.
      const clock = new ManualClock();
      const fw = instance(clock, new PackageDownloader({ clock, timeoutMs: 5000 }));
      writeUri(fw, `http://127.0.0.1:${port}/good.bin`);
      await fw.idle;
      assert.deepEqual(stateAndResult(fw), [0, 4]);
      assert.equal(clock.now(), 0);
    },
  );

  test('an empty Package URI during a download cancels it and resets to Idle with result 0', async () => {
    let release: () => void = () => undefined;
    let requested: () => void = () => undefined;
    const downloading = new Promise<void>((r) => (requested = r));
    const slow = http.createServer((_req, res) => {
      res.write(Buffer.from(PACKAGE.subarray(0, 1000)));
      release = () => res.end();
      requested();
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const fw = instance();
      writeUri(fw, `http://127.0.0.1:${(slow.address() as AddressInfo).port}/x`);
      await downloading; // the server got the request and sent part of the package
      writeUri(fw, '');
      assert.deepEqual(stateAndResult(fw), [0, 0]);
      await fw.idle;
      assert.deepEqual(stateAndResult(fw), [0, 0], 'the aborted download does not report later');
      assert.equal(fw.read(1)?.kind === 'resource' ? fw.read(1)!.kind : '', 'resource');
    } finally {
      release();
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });
});

describe('Package URI validation', () => {
  test('an unparsable URI or one without host gives Idle with result 7 at once; the Write succeeds', () => {
    for (const uri of ['not a uri', 'coap://', 'http://']) {
      const fw = instance();
      writeUri(fw, uri);
      assert.deepEqual(stateAndResult(fw), [0, 7], uri);
    }
  });

  test('an ftp:// or coaps:// URI gives Idle with result 9 (unsupported protocol)', () => {
    for (const uri of ['ftp://127.0.0.1/fw.bin', 'coaps://127.0.0.1/fw.bin']) {
      const fw = instance();
      writeUri(fw, uri);
      assert.deepEqual(stateAndResult(fw), [0, 9], uri);
    }
  });

  test('the downloader itself rejects with FirmwareDownloadError carrying the result', async () => {
    await assert.rejects(
      new PackageDownloader().download('gopher://x/y'),
      (e: unknown) => e instanceof FirmwareDownloadError && e.result === 9,
    );
  });

  test('Cancel during a coap:// download gives Idle with result 10', async () => {
    const silent = await UdpTransport.bind({ address: '127.0.0.1' });
    const clock = new ManualClock();
    try {
      const fw = instance(clock, new PackageDownloader({ clock }));
      writeUri(fw, `coap://127.0.0.1:${silent.address().port}/fw`);
      fw.execute(10, undefined);
      assert.deepEqual(stateAndResult(fw), [0, 10]);
      await fw.idle; // the aborted download has ended
      await clock.advanceAsync(200_000, 10_000); // and whatever it left on the clock has run
      assert.deepEqual(stateAndResult(fw), [0, 10]);
    } finally {
      await silent.close();
    }
  });
});
