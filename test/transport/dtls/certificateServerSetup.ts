// Our DtlsTransport server with certificate credentials on a memory network, and a scripted
// certificate client beside it (CertificateClientScript), for the certificate-suite server tests.
import { InlineHandshakeCrypto } from '../../../src/transport/dtls/crypto/HandshakeCrypto.js';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import type { DtlsServerOptions } from '../../../src/transport/dtls/DtlsTransportOptions.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { MemoryNetwork } from '../../support/MemoryTransport.js';
import { waitUntil } from '../../support/waitUntil.js';
import { CertificateClientScript, type ScriptOptions } from './CertificateClientScript.js';
import { keyPair, testPki } from './x509/testPki.js';

export const SERVER = makePeer('10.0.0.1', 5684);
export const PSK = Buffer.from('73656372657450534b', 'hex');

/** One PKI for the whole file (key generation is the slow part). */
export const pki = testPki();
/** A device raw key pair the server knows, and its SPKI. */
export const rpkDevice = keyPair();
export const rpkDeviceSpki = rpkDevice.publicKey.export({ type: 'spki', format: 'der' });

export interface CertificateServerSetup {
  readonly server: DtlsTransport;
  readonly delivered: { bytes: Uint8Array; peer: Peer }[];
  readonly clock: ManualClock;
  /** A scripted client from a fresh address. */
  client(options?: ScriptOptions): CertificateClientScript;
}

let nextPort = 40_000;

/** A server with our test PKI's server chain, trusting the test root and `rpkDevice`. */
export function certificateServer(
  overrides: Partial<Omit<DtlsServerOptions, 'role'>> = {},
): CertificateServerSetup {
  const net = new MemoryNetwork();
  const clock = new ManualClock();
  const server = new DtlsTransport(net.bind(SERVER.address, SERVER.port), {
    role: 'server',
    clock,
    handshakeCrypto: new InlineHandshakeCrypto(),
    pskFor: (identity) => (identity === 'id1' ? PSK : undefined),
    certificate: { privateKey: pki.server.privateKey, chain: [pki.server.der, pki.intermediate.der] },
    clientTrust: {
      trustAnchors: [pki.root.der],
      knownRawPublicKey: (spki) => Buffer.from(spki).equals(rpkDeviceSpki),
    },
    ...overrides,
  });
  const delivered: { bytes: Uint8Array; peer: Peer }[] = [];
  server.onDatagram((bytes, peer) => delivered.push({ bytes, peer }));
  return {
    server,
    delivered,
    clock,
    client: (options = {}) => {
      const raw = net.bind('10.0.0.66', nextPort++);
      const inbox: Uint8Array[] = [];
      raw.onDatagram((b) => inbox.push(b));
      return new CertificateClientScript(
        { send: (bytes) => raw.send(SERVER, bytes), inbox },
        options,
        (condition, what) => waitUntil(condition, what, 5_000, 1),
      );
    },
  };
}

/** Lets the memory network and the inline crypto's promises run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}
