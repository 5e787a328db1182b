// Fixtures of the server's DTLS tests: an Lwm2mServer on 127.0.0.1 with plain CoAP and the `dtls`
// option (ephemeral ports, PSKs from a MemorySecurityStore), DTLS client transports, a raw CoAP
// device over one, and an Lwm2mClient whose `transport` is one (the client's own coaps support is
// not used: a coap:// URI names the DTLS port and the transport secures it).
import { after } from 'node:test';
import { Lwm2mClient, type Lwm2mClientOptions } from '../../src/client/Lwm2mClient.js';
import { temperatureInstance } from '../../src/client/objects/temperatureInstance.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import type { Lwm2mServerOptions } from '../../src/server/Lwm2mServerOptions.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';

/** Key of dev1 (identity id1). */
export const KEY1 = Uint8Array.from(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
/** Key of dev2 (identity id2). */
export const KEY2 = Uint8Array.from(Buffer.from('ffeeddccbbaa99887766554433221100', 'hex'));

/** What the running test opened besides its server, closed before it in reverse order (LIFO). */
const opened: (() => Promise<unknown>)[] = [];

/** A started server whose store holds dev1/id1 and dev2/id2; stopped when the test ends. */
export async function securedServer(options: Lwm2mServerOptions = {}, requireSecurity = false) {
  const store = new MemorySecurityStore([
    { endpoint: 'dev1', kind: 'psk', identity: 'id1', key: KEY1 },
    { endpoint: 'dev2', kind: 'psk', identity: 'id2', key: KEY2 },
  ]);
  const server = await Lwm2mServer.start({
    address: '127.0.0.1',
    port: 0,
    dtls: { port: 0 },
    security: { store, requireSecurity },
    ...options,
  });
  after(async () => {
    // clients first: a client stopped after its server would retransmit its De-register
    for (const close of opened.splice(0).reverse()) await close();
    await server.stop();
  });
  const dtlsPort = server.secureAddress()!.port;
  return { server, store, dtlsPort, dtlsPeer: makePeer('127.0.0.1', dtlsPort) };
}

/** A DTLS client transport on 127.0.0.1 (`port` 0: ephemeral) with PSK `identity`/`key`. */
export async function dtlsClient(
  identity: string,
  key: Uint8Array,
  o: { port?: number; connectionIdLength?: number; handshakeTimeoutMs?: number } = {},
): Promise<DtlsTransport> {
  const udp = await UdpTransport.bind({ address: '127.0.0.1', port: o.port ?? 0 });
  return new DtlsTransport(udp, {
    role: 'client',
    psk: { identity, key },
    ...(o.connectionIdLength === undefined ? {} : { connectionIdLength: o.connectionIdLength }),
    ...(o.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: o.handshakeTimeoutMs }),
  });
}

/** A raw CoAP endpoint over `transport`, closed when the test ends (call securedServer first); `register` POSTs /rd. */
export function rawDevice(transport: DtlsTransport | UdpTransport, to: Peer) {
  const endpoint = new CoapEndpoint(transport);
  opened.push(() => endpoint.close());
  const register = (ep: string) =>
    endpoint.request(to, {
      method: 'POST',
      path: '/rd',
      query: [`ep=${ep}`, 'lt=300', 'lwm2m=1.1'],
      contentFormat: 40,
      payload: '</1/0>,</3/0>',
    });
  return { endpoint, register };
}

/** An Lwm2mClient `ep` over `transport` registering to `port` on 127.0.0.1; resolves once registered; stopped before the server. */
export async function registeredClient(
  server: Lwm2mServer,
  ep: string,
  transport: DtlsTransport,
  port: number,
  o: Partial<Lwm2mClientOptions> = {},
): Promise<Lwm2mClient> {
  const client = new Lwm2mClient({
    endpoint: ep,
    servers: [{ uri: `coap://127.0.0.1:${port}`, ssid: 1, lifetime: 300, binding: 'U' }],
    transport,
    device: { manufacturer: 'lwm2m-ts', serialNumber: ep },
    objects: [temperatureInstance({ value: 21.5 })],
    ...o,
  });
  opened.push(() => client.stop());
  const registered = new Promise<void>((r) => client.on('registered', () => r()));
  await client.start();
  await server.waitForRegistration(ep, 10_000);
  await registered;
  return client;
}
