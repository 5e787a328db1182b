// Shared setup of the bootstrap server tests: a BootstrapServer and a scripted device, each a
// CoapEndpoint on one MemoryNetwork, a ManualClock, and a recorder of the server's events.
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import type { BootstrapServerEvents } from '../../src/bootstrap/BootstrapServerEvents.js';
import type { BootstrapServerOptions } from '../../src/bootstrap/BootstrapServerOptions.js';
import type { BootstrapSessionRecord } from '../../src/bootstrap/BootstrapSession.js';
import { bootstrapRequest } from '../../src/binding/uplinkRequests.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import type { CoapRequestOptions } from '../../src/coap/CoapRequest.js';
import type { CoapResponse } from '../../src/coap/CoapResponse.js';
import { Router, type IncomingRequest, type OutgoingResponse } from '../../src/coap/Router.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork } from '../support/MemoryTransport.js';

/** What the scripted device answers to a request; the default answers every request with success. */
export type DeviceScript = (req: IncomingRequest) => OutgoingResponse | Promise<OutgoingResponse>;

const methodNames: Record<number, string> = { 1: 'GET', 2: 'POST', 3: 'PUT', 4: 'DELETE' };

/** A request the device received, as 'PUT /0/1'. */
export const describeRequest = (r: IncomingRequest): string =>
  `${methodNames[r.method] ?? r.method} /${r.path.join('/')}`;

/** Success codes a device answers with: 2.04 for PUT/POST, 2.02 for DELETE, 2.05 for GET. */
export const succeed: DeviceScript = (r) => ({ code: r.method === 4 ? 0x42 : r.method === 1 ? 0x45 : 0x44 });

/** Starts a bootstrap server with `configs` and a device that answers through `script`. */
export async function startBootstrap(
  configs: Record<string, BootstrapConfig>,
  options: BootstrapServerOptions = {},
) {
  const clock = new ManualClock(1_000_000);
  const net = new MemoryNetwork();
  const serverTransport = net.bind('10.0.0.1', 5783);
  const configStore = new MemoryBootstrapConfigStore(Object.entries(configs));
  const server = await BootstrapServer.start({
    transports: [serverTransport],
    clock,
    configStore,
    ...options,
  });
  const events: [keyof BootstrapServerEvents, unknown][] = [];
  for (const name of ['sessionStarted', 'step', 'sessionFinished', 'sessionFailed', 'warning'] as const)
    server.on(name, (e: unknown) => void events.push([name, e]));

  const received: IncomingRequest[] = [];
  let script: DeviceScript = succeed;
  const router = new Router().setDefault((req) => {
    received.push(req);
    return script(req);
  });
  const device = new CoapEndpoint(net.bind('10.0.0.2', 56830), { clock, router });
  const serverPeer = serverTransport.self;

  /** Sends POST /bs?ep=..(&pct=..) from the device; resolves with the server's response. */
  const requestBootstrap = (endpoint: string, pct?: number): Promise<CoapResponse> =>
    device.request(serverPeer, bootstrapRequest(endpoint, pct));
  /** Sends POST /bs with any query. */
  const rawBootstrap = (query: string[]): Promise<CoapResponse> =>
    device.request(serverPeer, { method: 'POST', path: ['bs'], query });
  /** Sends any request from the device (e.g. a Bootstrap-Pack-Request). */
  const request = (req: CoapRequestOptions): Promise<CoapResponse> => device.request(serverPeer, req);
  /** Resolves with the next session that ends (finished or failed). */
  const sessionEnd = (): Promise<BootstrapSessionRecord> =>
    new Promise((resolve) => {
      const done = (r: BootstrapSessionRecord): void => {
        server.off('sessionFinished', done);
        server.off('sessionFailed', done);
        resolve(r);
      };
      server.on('sessionFinished', done);
      server.on('sessionFailed', done);
    });
  const close = async (): Promise<void> => {
    await device.close();
    await server.stop();
  };
  return {
    server,
    clock,
    net,
    events,
    received,
    configStore,
    setScript: (s: DeviceScript) => void (script = s),
    requestBootstrap,
    rawBootstrap,
    request,
    sessionEnd,
    close,
  };
}
