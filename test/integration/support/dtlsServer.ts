// An Lwm2mServer behind DTLS PSK on 127.0.0.1 (issue 13 item 5 tests): a DtlsTransport in the
// server role whose keys come from a MemorySecurityStore, which the server's uplink authorizer
// also checks (a Register must come with the identity configured for its endpoint).
import { createCoreRegistry } from '../../../src/model/core/coreModels.js';
import { Lwm2mServer } from '../../../src/server/Lwm2mServer.js';
import type { Lwm2mServerOptions } from '../../../src/server/Lwm2mServerOptions.js';
import { MemorySecurityStore } from '../../../src/store/memory/MemorySecurityStore.js';
import type { DatagramTransport } from '../../../src/transport/DatagramTransport.js';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { TEST_OBJECT } from './testObject.js';

/** A started DTLS server, its transport and its credentials. */
export interface DtlsServer {
  readonly server: Lwm2mServer;
  readonly dtls: DtlsTransport;
  /** The socket under the DTLS transport (to send plain datagrams from the server's port). */
  readonly udp: UdpTransport;
  /** Plain CoAP datagrams that reached the server's socket. */
  readonly plainReceived: Uint8Array[];
  readonly store: MemorySecurityStore;
  /** coaps://127.0.0.1:PORT */
  readonly uri: string;
  close(): Promise<void>;
}

/** Starts a server that accepts DTLS PSK handshakes with the keys of `store`. */
export async function startDtlsServer(
  store = new MemorySecurityStore(),
  extra: Lwm2mServerOptions = {},
): Promise<DtlsServer> {
  const udp = await UdpTransport.bind({ address: '127.0.0.1', port: 0 });
  const plainReceived: Uint8Array[] = [];
  // the server's socket, with a look at plain CoAP datagrams (first byte 64..127) reaching it
  const tap: DatagramTransport = {
    reliable: false,
    maxDatagramSize: udp.maxDatagramSize,
    send: (peer, bytes) => udp.send(peer, bytes),
    onDatagram: (h) =>
      udp.onDatagram((bytes, peer) => {
        if (bytes[0] !== undefined && bytes[0] >= 64 && bytes[0] <= 127) plainReceived.push(bytes);
        h(bytes, peer);
      }),
    address: () => udp.address(),
    close: () => udp.close(),
  };
  const dtls = new DtlsTransport(tap, {
    role: 'server',
    pskFor: async (identity) => {
      const info = await store.getByPskIdentity(identity);
      return info?.kind === 'psk' ? info.key : undefined;
    },
  });
  const server = await Lwm2mServer.start({
    transports: [dtls],
    models: createCoreRegistry().add(TEST_OBJECT),
    security: { store, requireSecurity: true },
    ...extra,
  });
  return {
    server,
    dtls,
    udp,
    plainReceived,
    store,
    uri: `coaps://127.0.0.1:${server.address().port}`,
    close: () => server.stop(),
  };
}
