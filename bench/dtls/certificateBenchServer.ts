// Benchmark peer for the ECDHE_ECDSA handshake storm: a DtlsTransport server on 127.0.0.1 with the
// certificate credentials of the file named by argv[2] (bench/dtls/ecdheHandshakes.ts writes it:
// our key and chain, the client trust anchor, the known client raw key) and the handshake crypto
// argv[3] names ('inline' or 'workers'; default: the transport's). It counts datagrams only. Prints "READY <port>"; on SIGUSR2 prints
// "STATS <event-loop lag p99 ms> <connections> <completed> <failed> <crypto busy>" and starts a
// new lag histogram.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';

/** What the parent hands over (DER and PKCS#8 as base64). */
export interface CertificateBenchCredentials {
  readonly serverKey: string;
  readonly chain: readonly string[];
  readonly trustAnchor: string;
  readonly clientRawPublicKey: string;
}

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
const creds = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CertificateBenchCredentials;
const knownKey = b64(creds.clientRawPublicKey);
const cryptoMode = process.argv[3];
const dtls = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }), {
  role: 'server',
  certificate: {
    privateKey: createPrivateKey({ key: b64(creds.serverKey), format: 'der', type: 'pkcs8' }),
    chain: creds.chain.map(b64),
  },
  clientTrust: {
    trustAnchors: [b64(creds.trustAnchor)],
    knownRawPublicKey: (spki) => knownKey.equals(spki),
  },
  maxHandshakes: 4096,
  ...(cryptoMode === 'inline' || cryptoMode === 'workers' ? { handshakeCrypto: cryptoMode } : {}),
});
let datagrams = 0;
dtls.onDatagram(() => void datagrams++);
let lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
process.on('SIGUSR2', () => {
  const p99 = lag.percentile(99) / 1e6;
  const s = dtls.stats;
  console.log(
    `STATS ${p99.toFixed(2)} ${dtls.connectionCount} ${s.handshakesCompleted} ${s.handshakesFailed} ${s.cryptoBusy}`,
  );
  lag.disable();
  lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
});
console.log(`READY ${dtls.address().port}`);
process.on('SIGTERM', () => void dtls.close().then(() => process.exit(0)));
