// A handshake whose credentials lookup is synchronous runs without yielding: every record is
// processed within the call that delivers it, so each flight is answered before that call
// returns (no promise or microtask per record or message; the handshake storm of bench/dtls.ts
// spends the server's CPU on the handshake, not on the scheduling). An asynchronous pskFor still
// suspends the handshake until the key arrives (dtlsTransport.test.ts, failedHandshakes.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import type { DatagramHandler, DatagramTransport } from '../../../src/transport/DatagramTransport.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';

const KEY = Buffer.from('73656372657450534b', 'hex');
const SERVER = makePeer('10.0.0.1', 5684);
const CLIENT = makePeer('10.0.0.2', 40000);

/** A transport whose sends wait in an outbox until the test hands them over, synchronously. */
class OutboxTransport implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize = 1152;
  readonly outbox: Uint8Array[] = [];
  private handler: DatagramHandler = () => undefined;
  constructor(readonly self: Peer) {}
  send(_peer: Peer, bytes: Uint8Array): Promise<void> {
    this.outbox.push(Uint8Array.from(bytes));
    return Promise.resolve();
  }
  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }
  deliver(bytes: Uint8Array, from: Peer): void {
    this.handler(bytes, from);
  }
  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return { address: this.self.address, port: this.self.port, family: this.self.family };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

test('with a synchronous pskFor a whole handshake and the first record run inside the calls that deliver the flights', async () => {
  const clock = new ManualClock();
  const serverEnd = new OutboxTransport(SERVER);
  const clientEnd = new OutboxTransport(CLIENT);
  const server = new DtlsTransport(serverEnd, {
    role: 'server',
    clock,
    pskFor: (identity) => (identity === 'id1' ? KEY : undefined),
  });
  const client = new DtlsTransport(clientEnd, { role: 'client', clock, psk: { identity: 'id1', key: KEY } });
  const delivered: Uint8Array[] = [];
  server.onDatagram((b) => delivered.push(b));
  try {
    const sent = client.send(SERVER, Uint8Array.of(0x40, 1, 0, 7));
    // hand every flight over at once, without ever awaiting: ClientHello, HelloVerifyRequest,
    // ClientHello with cookie, ServerHello flight, client's last flight, server's final flight
    // and the application record
    let exchanges = 0;
    for (; exchanges < 16 && clientEnd.outbox.length + serverEnd.outbox.length > 0; exchanges++) {
      for (const d of clientEnd.outbox.splice(0)) serverEnd.deliver(d, CLIENT);
      for (const d of serverEnd.outbox.splice(0)) clientEnd.deliver(d, SERVER);
    }
    assert.equal(server.connectionCount, 1, 'the server completed its handshake synchronously');
    assert.equal(client.connectionCount, 1, 'the client completed its handshake synchronously');
    assert.deepEqual(
      delivered.map((b) => [...b]),
      [[0x40, 1, 0, 7]],
    );
    assert.equal(server.stats.handshakesCompleted, 1);
    await sent;
  } finally {
    await client.close();
    await server.close();
  }
});
