// Issue 13 item 5, interop: libcoap's coap-client-openssl and coap-client-gnutls (Debian
// libcoap3-bin), independent DTLS 1.2 PSK stacks, register to our Lwm2mServer over its DTLS port
// (`-k key -u identity coaps://…/rd?ep=…`, POST with a link-format payload, research/dtls.md T1),
// and a Register naming another endpoint than the identity's is refused 4.00.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import type { RegistrationRejectedEvent } from '../../src/server/Lwm2mServerEvents.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { requirePeer } from '../support/peers.js';

const run = promisify(execFile);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const CLIENTS = [
  { binary: 'coap-client-openssl', ep: 'libcoap-openssl', identity: 'id-openssl', key: 'secretPSK-openssl' },
  { binary: 'coap-client-gnutls', ep: 'libcoap-gnutls', identity: 'id-gnutls', key: 'secretPSK-gnutls' },
] as const;

describe('libcoap DTLS clients register to our server over DTLS', () => {
  let server: Lwm2mServer;
  let port: number;
  const rejected: RegistrationRejectedEvent[] = [];

  before(async () => {
    const store = new MemorySecurityStore(
      CLIENTS.map((c) => ({ endpoint: c.ep, kind: 'psk' as const, identity: c.identity, key: utf8(c.key) })),
    );
    server = await Lwm2mServer.start({
      address: '127.0.0.1',
      port: 0,
      dtls: { port: 0 },
      security: { store },
    });
    server.on('registrationRejected', (e) => rejected.push(e));
    port = server.secureAddress()!.port;
  });
  after(() => server.stop());

  const register = (c: (typeof CLIENTS)[number], binary: string, ep: string) =>
    run(
      binary,
      [
        '-B',
        '10',
        '-m',
        'post',
        '-t',
        '40',
        '-e',
        '</1/0>,</3/0>',
        '-k',
        c.key,
        '-u',
        c.identity,
        `coaps://127.0.0.1:${port}/rd?ep=${ep}&lt=60&lwm2m=1.1`,
      ],
      { timeout: 20_000 },
    );

  for (const c of CLIENTS) {
    const peer = requirePeer(c.binary, 'libcoap3-bin');
    test(
      `${c.binary} registers with its PSK; its identity is bound to the endpoint`,
      { skip: peer.skip },
      async () => {
        await register(c, peer.path!, c.ep);
        const reg = await server.waitForRegistration(c.ep, 10_000);
        assert.deepEqual(reg.peer.identity, { kind: 'psk', identity: c.identity });
        assert.equal(reg.lifetime, 60);
      },
    );

    test(`${c.binary} registering as another endpoint is refused 4.00`, { skip: peer.skip }, async () => {
      const other = CLIENTS.find((x) => x !== c)!.ep;
      const before = rejected.length;
      await register(c, peer.path!, `${other}`).catch(() => undefined); // libcoap exits non-zero on 4.xx
      const refusal = rejected.slice(before).find((e) => e.endpoint === other);
      assert.equal(refusal?.code, 0x80);
    });
  }
});
