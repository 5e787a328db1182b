// The server's endpoint-name binding for raw public keys and certificates (issue 15 items 2-3;
// Transport TS 1.1.1 5.2): UplinkAuthorizer on the identities DtlsTransport delivers after an
// ECDHE_ECDSA handshake, against what the SecurityStore holds for the endpoint: the endpoint's own
// key or a certificate naming it passes, another one is 4.00, an endpoint without credentials 4.03.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code } from '../../src/coap/CoapMessage.js';
import { UplinkAuthorizer } from '../../src/server/UplinkAuthorizer.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { makePeer, type PeerIdentity } from '../../src/transport/Peer.js';

const keyOf = (fill: number): Uint8Array => new Uint8Array(91).fill(fill);
const rpkPeer = (fill: number) => makePeer('::1', 40000, { kind: 'rpk', publicKey: keyOf(fill) });
const certPeer = (commonName: string, subjectAltNames?: string[]) => {
  const identity: PeerIdentity = {
    kind: 'x509',
    subject: `CN=${commonName},O=acme`,
    commonName,
    ...(subjectAltNames ? { subjectAltNames } : {}),
  };
  return makePeer('::1', 40001, identity);
};

async function authorizer(): Promise<UplinkAuthorizer> {
  const store = new MemorySecurityStore();
  await store.put({ endpoint: 'rpk-dev', kind: 'rpk', publicKey: keyOf(1) });
  await store.put({ endpoint: 'rpk-other', kind: 'rpk', publicKey: keyOf(2) });
  await store.put({ endpoint: 'cert-dev', kind: 'x509' });
  return new UplinkAuthorizer({ store, requireSecurity: true });
}

const text = (payload: Uint8Array | undefined): string => new TextDecoder().decode(payload);

test("an RPK uplink passes with the endpoint's own key, is 4.00 with another endpoint's, 4.03 for an unknown endpoint", async () => {
  const auth = await authorizer();
  assert.equal(await auth.refusal('rpk-dev', rpkPeer(1)), undefined);
  const mismatch = await auth.refusal('rpk-dev', rpkPeer(2));
  assert.equal(mismatch?.code, Code.BAD_REQUEST);
  assert.match(text(mismatch?.payload), /raw public key does not belong to endpoint "rpk-dev"/);
  assert.equal((await auth.refusal('rpk-dev', rpkPeer(3)))?.code, Code.BAD_REQUEST, 'an unknown key');
  const unknown = await auth.refusal('nobody', rpkPeer(1));
  assert.equal(unknown?.code, Code.FORBIDDEN);
  assert.equal(
    (await auth.refusal('cert-dev', rpkPeer(1)))?.code,
    Code.BAD_REQUEST,
    'an RPK for an x509 endpoint',
  );
});

test('an X.509 uplink passes when the CN or a SAN is the endpoint name, is 4.00 otherwise, 4.03 for an unknown endpoint', async () => {
  const auth = await authorizer();
  assert.equal(await auth.refusal('cert-dev', certPeer('cert-dev')), undefined);
  assert.equal(await auth.refusal('cert-dev', certPeer('gw', ['cert-dev'])), undefined);
  const mismatch = await auth.refusal('cert-dev', certPeer('cert-dev2', ['gw']));
  assert.equal(mismatch?.code, Code.BAD_REQUEST);
  assert.match(
    text(mismatch?.payload),
    /certificate "CN=cert-dev2,O=acme" does not belong to endpoint "cert-dev"/,
  );
  assert.equal((await auth.refusal('unknown-dev', certPeer('unknown-dev')))?.code, Code.FORBIDDEN);
  assert.equal(
    (await auth.refusal('rpk-dev', certPeer('rpk-dev')))?.code,
    Code.BAD_REQUEST,
    'a certificate for an RPK endpoint',
  );
});
