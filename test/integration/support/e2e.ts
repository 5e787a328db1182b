// End-to-end harness (STYLE.md 15): a real Lwm2mServer and a real Lwm2mClient over UDP on
// 127.0.0.1 with ephemeral ports, the client registered (Core TS 1.1.1 section 6.2.1) before
// the test body runs, and one close() that stops the client, then the server.
import { Lwm2mClient, type Lwm2mClientOptions } from '../../../src/client/Lwm2mClient.js';
import { declareInstance, type DeclaredInstance } from '../../../src/client/declareInstance.js';
import { temperatureInstance } from '../../../src/client/objects/temperatureInstance.js';
import type { Clock } from '../../../src/coap/Clock.js';
import { createCoreRegistry } from '../../../src/model/core/coreModels.js';
import type { Lwm2mServer as Lwm2mServerType } from '../../../src/server/Lwm2mServer.js';
import { Lwm2mServer } from '../../../src/server/Lwm2mServer.js';
import type { Lwm2mServerOptions } from '../../../src/server/Lwm2mServerOptions.js';
import { TEST_OBJECT } from './testObject.js';

/** The LwM2M versions the client implements. */
export const VERSIONS = ['1.0', '1.1', '1.2'] as const;
/** One LwM2M version. */
export type Version = (typeof VERSIONS)[number];

/** What a test can tune. */
export interface PairOptions {
  readonly version?: Version;
  readonly endpoint?: string;
  readonly lifetime?: number;
  readonly server?: Lwm2mServerOptions;
  readonly client?: Partial<Lwm2mClientOptions>;
  /** Clock of the client only (the server keeps its own unless `server.clock` is set). */
  readonly clientClock?: Clock;
  /** Instance 0 of the test object gets these execute handlers. */
  readonly onReset?: (args: string | undefined) => void;
}

/** A registered pair. */
export interface Pair {
  readonly server: Lwm2mServerType;
  readonly client: Lwm2mClient;
  readonly ep: string;
  readonly testInstance: DeclaredInstance;
  close(): Promise<void>;
}

let counter = 0;

/** The values of test object instance 0. */
export function testValues(): ConstructorParameters<typeof DeclaredInstance>[2] {
  return {
    0: 'first',
    1: -42,
    2: 2.5,
    3: true,
    4: new Uint8Array([1, 2, 3, 0xff]),
    5: new Date(1_700_000_000_000),
    6: { objectId: 3, instanceId: 0 },
    7: ['a', 'b'],
    8: new Map([
      [0, 1.5],
      [3, -7.25],
    ]),
  };
}

/** Starts a server and a registered client; the caller must await close(). */
export async function startPair(o: PairOptions = {}): Promise<Pair> {
  const version = o.version ?? '1.1';
  const ep = o.endpoint ?? `e2e-${process.pid}-${++counter}`;
  const models = createCoreRegistry().add(TEST_OBJECT);
  const server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0, models, ...o.server });
  const testInstance = declareInstance(TEST_OBJECT, 0, testValues(), {
    execute: { 9: (args) => o.onReset?.(args) },
  });
  const client = new Lwm2mClient({
    endpoint: ep,
    servers: [
      {
        uri: `coap://127.0.0.1:${server.address().port}`,
        ssid: 1,
        lifetime: o.lifetime ?? 300,
        binding: 'U',
      },
    ],
    lwm2mVersion: version,
    // The client announces its default single `ct`: the server still reaches every format (ct is
    // a preference, issue 11 item 16), the TLV-only id-less Create included.
    bind: { address: '127.0.0.1', port: 0 },
    device: { manufacturer: 'lwm2m-ts', modelNumber: 'e2e', serialNumber: ep, batteryLevel: 90 },
    objects: [testInstance, temperatureInstance({ value: 21.5 })],
    ...(o.clientClock ? { clock: o.clientClock } : {}),
    ...o.client,
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await withTimeout(client.stop(), 3_000).catch(() => undefined);
    await server.stop();
  };
  try {
    // Both sides must know: the server's event fires before the client has its 2.01.
    const clientRegistered = new Promise<void>((r) => client.on('registered', () => r()));
    await client.start();
    await server.waitForRegistration(ep, 5_000);
    await withTimeout(clientRegistered, 5_000, 'client registration');
  } catch (e) {
    await close();
    throw e;
  }
  return { server, client, ep, testInstance, close };
}

/** Resolves with `p`, or rejects after `ms` of real time. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `pred` every 10 ms (real time) until it holds; rejects after `ms`. */
export async function until(
  pred: () => boolean | Promise<boolean>,
  ms = 3_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Fails when UDP sockets or timers outlive the tests (STYLE.md 15: "fails on open handles"). */
export async function assertNoOpenHandles(): Promise<void> {
  const open = (): string[] =>
    process.getActiveResourcesInfo().filter((name) => name === 'UDPWrap' || name === 'Timeout');
  // A closed socket leaves the list once libuv has run its close callback.
  for (let i = 0; i < 50 && open().length > 0; i++) await new Promise((r) => setTimeout(r, 10).unref());
  if (open().length === 0) return;
  // The leaked handle would keep this test process alive: end it once the failure is reported.
  setTimeout(() => process.exit(1), 500).unref();
  throw new Error(`open handles after the tests: ${open().join(', ')}`);
}
