// The server's endpoint-name binding (issue 13 item 4; Transport TS 1.1.1 5.2): with a
// SecurityStore configured, a Register, Update or De-register is served only when the identity
// the transport authenticated is the endpoint's (4.00 on a mismatch, 4.03 when refused), and a
// refused request changes nothing. A Send (/dp) is held to the same rule. Identities are stamped on peers by a wrapper transport, as
// DtlsTransport does after a handshake.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import type { DatagramHandler, DatagramTransport } from '../../src/transport/DatagramTransport.js';
import { makePeer, type Peer, type PeerIdentity } from '../../src/transport/Peer.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork, type MemoryTransport } from '../support/MemoryTransport.js';

/** Delivers peers with the identity a secured transport would have authenticated for their address. */
class IdentityTransport implements DatagramTransport {
  constructor(
    private readonly inner: MemoryTransport,
    private readonly identities: ReadonlyMap<string, PeerIdentity>,
  ) {}
  get maxDatagramSize(): number {
    return this.inner.maxDatagramSize;
  }
  get reliable(): boolean {
    return this.inner.reliable;
  }
  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    return this.inner.send(peer, bytes);
  }
  onDatagram(handler: DatagramHandler): void {
    this.inner.onDatagram((bytes, peer) => {
      const id = this.identities.get(peer.address);
      handler(bytes, id ? makePeer(peer.address, peer.port, id) : peer);
    });
  }
  address(): ReturnType<DatagramTransport['address']> {
    return this.inner.address();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const psk = (identity: string): PeerIdentity => ({ kind: 'psk', identity });

async function setup(requireSecurity = false) {
  const net = new MemoryNetwork();
  const store = new MemorySecurityStore();
  await store.put({ endpoint: 'dev1', kind: 'psk', identity: 'id1', key: Uint8Array.of(1, 2, 3) });
  const identities = new Map([
    ['10.0.0.11', psk('id1')],
    ['10.0.0.12', psk('someone-else')],
  ]);
  const server = await Lwm2mServer.start({
    transports: [new IdentityTransport(net.bind('10.0.0.1'), identities)],
    clock: new ManualClock(),
    security: { store, requireSecurity },
  });
  const devices = new Map<string, CoapEndpoint>();
  const device = (address: string): CoapEndpoint => {
    let d = devices.get(address);
    if (!d) devices.set(address, (d = new CoapEndpoint(net.bind(address))));
    return d;
  };
  const to = makePeer('10.0.0.1', 5683);
  const register = (from: string, ep: string) =>
    device(from).request(to, {
      method: 'POST',
      path: '/rd',
      query: [`ep=${ep}`, 'lt=300', 'lwm2m=1.1'],
      contentFormat: 40,
      payload: '</1/0>,</3/0>',
    });
  const update = (from: string, location: string) =>
    device(from).request(to, { method: 'POST', path: location, query: ['lt=900'] });
  after(async () => {
    for (const d of devices.values()) await d.close();
    await server.stop();
  });
  return { server, register, update, device, to, identities };
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

test('the endpoint’s own identity registers; another identity gets 4.00; NoSec gets 4.03', async () => {
  const s = await setup();
  const other = await s.register('10.0.0.12', 'dev1');
  assert.equal(other.code, Code.BAD_REQUEST);
  assert.match(text(other.payload), /someone-else/);
  const clear = await s.register('10.0.0.13', 'dev1');
  assert.equal(clear.code, Code.FORBIDDEN);
  assert.match(text(clear.payload), /must use them/);
  assert.equal(await s.server.getRegistration('dev1'), undefined, 'refusals changed nothing');
  const own = await s.register('10.0.0.11', 'dev1');
  assert.equal(own.code, Code.CREATED);
  assert.equal((await s.server.getRegistration('dev1'))?.peer.identity?.kind, 'psk');
});

test('an Update or De-register of dev1 from another identity or in clear is refused and changes nothing', async () => {
  const s = await setup();
  const created = await s.register('10.0.0.11', 'dev1');
  const location = created.options
    .filter((o) => o.number === OptionNumber.LOCATION_PATH)
    .map((o) => `/${text(o.value)}`)
    .join('');
  assert.equal((await s.update('10.0.0.12', location)).code, Code.BAD_REQUEST);
  assert.equal((await s.update('10.0.0.13', location)).code, Code.FORBIDDEN);
  const gone = await s.device('10.0.0.13').request(s.to, { method: 'DELETE', path: location });
  assert.equal(gone.code, Code.FORBIDDEN);
  assert.equal((await s.server.getRegistration('dev1'))?.lifetime, 300, 'still the first lifetime');
  assert.equal((await s.update('10.0.0.11', location)).code, Code.CHANGED);
  assert.equal((await s.server.getRegistration('dev1'))?.lifetime, 900);
});

test('an endpoint without credentials registers in clear, unless the policy requires security', async () => {
  const open = await setup(false);
  assert.equal((await open.register('10.0.0.13', 'free')).code, Code.CREATED);
  const strict = await setup(true);
  const refused = await strict.register('10.0.0.14', 'free');
  assert.equal(refused.code, Code.FORBIDDEN);
  assert.match(text(refused.payload), /requires a secured connection/);
  assert.equal(await strict.server.getRegistration('free'), undefined);
});

test('a Send is bound like Register: another identity gets 4.00, clear 4.03, the own identity 2.04', async () => {
  const s = await setup();
  assert.equal((await s.register('10.0.0.11', 'dev1')).code, Code.CREATED);
  const sent: string[] = [];
  s.server.on('send', (e) => sent.push(e.registration.endpoint));
  const send = () =>
    s.device('10.0.0.11').request(s.to, {
      method: 'POST',
      path: '/dp',
      contentFormat: 110,
      payload: '[{"bn":"/3/0/","n":"0","vs":"ACME"}]',
    });
  // the same source address, now authenticated as another identity, then in clear
  s.identities.set('10.0.0.11', psk('someone-else'));
  const other = await send();
  assert.equal(other.code, Code.BAD_REQUEST);
  assert.match(text(other.payload), /someone-else/);
  s.identities.delete('10.0.0.11');
  assert.equal((await send()).code, Code.FORBIDDEN);
  assert.deepEqual(sent, [], 'no refused Send reached the application');
  s.identities.set('10.0.0.11', psk('id1'));
  assert.equal((await send()).code, Code.CHANGED);
  assert.deepEqual(sent, ['dev1']);
});
