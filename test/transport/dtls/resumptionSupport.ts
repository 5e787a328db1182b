// Helpers of the resumption and key log tests: a server and clients of our DtlsTransport on a
// MemoryNetwork with a ManualClock, the handshake messages each side sent, and a clock driver.
import { DtlsTransport, type DtlsServerOptions } from '../../../src/transport/dtls/DtlsTransport.js';
import {
  decodeHandshakeFragments,
  type HandshakeFragment,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import type { DtlsSession } from '../../../src/transport/dtls/session/DtlsSession.js';
import type { SessionCache } from '../../../src/transport/dtls/session/SessionCache.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';
import type { ManualClock } from '../../support/ManualClock.js';
import { flush, MemoryNetwork, type MemoryTransport } from '../../support/MemoryTransport.js';

export const KEY = Buffer.from('73656372657450534b', 'hex');
export const SERVER = makePeer('10.0.0.1', 5684);

/** A server on a fresh network; `keys` maps identities to keys and may change during the test. */
export function memoryServer(
  clock: ManualClock,
  keys: Map<string, Uint8Array>,
  extra: Partial<DtlsServerOptions> = {},
): { net: MemoryNetwork; server: DtlsTransport; serverInner: MemoryTransport } {
  const net = new MemoryNetwork();
  const serverInner = net.bind(SERVER.address, SERVER.port);
  const server = new DtlsTransport(serverInner, {
    role: 'server',
    clock,
    pskFor: async (identity) => keys.get(identity),
    ...extra,
  });
  return { net, server, serverInner };
}

/** A client at 10.0.0.2:`port` on `net`. */
export function memoryClient(
  net: MemoryNetwork,
  clock: ManualClock,
  port: number,
  extra: {
    key?: Uint8Array;
    sessionCache?: SessionCache<DtlsSession>;
    keyLog?: (line: string) => void;
    connectionIdLength?: number;
  } = {},
): DtlsTransport {
  return new DtlsTransport(net.bind('10.0.0.2', port), {
    role: 'client',
    clock,
    psk: { identity: 'id1', key: extra.key ?? KEY },
    ...(extra.sessionCache ? { sessionCache: extra.sessionCache } : {}),
    ...(extra.keyLog ? { keyLog: extra.keyLog } : {}),
    ...(extra.connectionIdLength !== undefined ? { connectionIdLength: extra.connectionIdLength } : {}),
  });
}

/** The plaintext (epoch 0) handshake fragments sent from `port` on `net`, in order. */
export function handshakeSentFrom(net: MemoryNetwork, port: number): HandshakeFragment[] {
  const out: HandshakeFragment[] = [];
  for (const d of net.log)
    if (d.from.port === port)
      for (const r of decodeDatagram(d.bytes))
        if (r.epoch === 0 && r.type === ContentType.handshake)
          out.push(...decodeHandshakeFragments(r.fragment));
  return out;
}

/** Sends one datagram from `client` to the server, running the clock until it is sent (or fails). */
export async function sendThrough(client: DtlsTransport, clock: ManualClock, text: string): Promise<string> {
  let state = 'pending';
  client.send(SERVER, Buffer.from(text)).then(
    () => (state = 'sent'),
    (e: Error) => (state = e.message),
  );
  for (let i = 0; i < 200 && state === 'pending'; i++) {
    await flush(4);
    clock.advance(250);
  }
  await flush(4);
  return state;
}

/** The next datagram `t` delivers, with its peer. */
export function nextDatagram(t: DtlsTransport): Promise<{ text: string; peer: Peer }> {
  return new Promise((resolve) =>
    t.onDatagram((b, peer) => resolve({ text: Buffer.from(b).toString(), peer })),
  );
}
