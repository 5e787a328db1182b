// The ECDHE_ECDSA handshake storm of `npm run bench -- dtls` (issue 15): full handshakes with raw
// public keys and with X.509 (the client sends its leaf and intermediate; the server's verdict
// cache knows the chain after the first) against bench/dtls/certificateBenchServer.ts in a child
// process, whose public-key work runs on its default worker pool. Each operation is a new client
// socket: cookie exchange, the server's flight, Certificate + ClientKeyExchange +
// CertificateVerify + ChangeCipherSpec + Finished, the server's Finished, one record and a
// close_notify. The client is the scripted one of the server tests (CertificateClientScript, on
// node:crypto), not our ClientHandshake. Figures per mode: handshakes per second, the server's
// CPU per handshake (every thread of its process, from /proc) and its event-loop lag p99.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ContentType } from '../../src/transport/dtls/record/RecordCodec.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { CertificateClientScript } from '../../test/transport/dtls/CertificateClientScript.js';
import { keyPair, testPki } from '../../test/transport/dtls/x509/testPki.js';
import { startChild, type ChildPeer } from '../support/childProcess.js';
import { runLoad, type LoadResult } from '../support/loadLoop.js';
import type { CertificateBenchCredentials } from './certificateBenchServer.js';

const IN_FLIGHT = 32;
const ROUNDS = 3;
const ROUND_MS = 1_500;
const WARMUP_MS = 250;
const STEP_TIMEOUT_MS = 5_000;

/** One mode's figures. */
export interface EcdheFigures {
  readonly mode: 'rpk' | 'x509';
  readonly result: LoadResult;
  /** Server CPU per handshake, µs (median of the rounds). */
  readonly serverCpuUs: number;
  readonly lagP99Ms: number;
  readonly cryptoBusy: number;
}

type Pki = ReturnType<typeof testPki>;

/** One handshake from a new socket, one record, close_notify. */
async function handshakeOnce(
  port: number,
  mode: 'rpk' | 'x509',
  pki: Pki,
  rpk: ReturnType<typeof keyPair>,
): Promise<void> {
  const udp = await UdpTransport.bind({ address: '127.0.0.1', port: 0 });
  const inbox: Uint8Array[] = [];
  const waiters = new Set<{ condition: () => boolean; done: () => void }>();
  udp.onDatagram((b) => {
    inbox.push(b);
    for (const w of waiters) if (w.condition()) w.done();
  });
  const until = (condition: () => boolean, what: string): Promise<void> =>
    condition()
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            waiters.delete(w);
            reject(new Error(`no ${what}`));
          }, STEP_TIMEOUT_MS);
          const w = {
            condition,
            done: () => {
              clearTimeout(timer);
              waiters.delete(w);
              resolve();
            },
          };
          waiters.add(w);
        });
  const server = makePeer('127.0.0.1', port);
  const c = new CertificateClientScript(
    { send: (bytes) => udp.send(server, bytes), inbox },
    { rawPublicKeys: mode === 'rpk', checkServerKeyExchange: false },
    until,
  );
  try {
    if ((await c.toServerHelloDone()).types.length === 0) throw new Error('handshake refused');
    const certificate =
      mode === 'rpk'
        ? c.certificate({
            type: 'rawPublicKey',
            subjectPublicKeyInfo: rpk.publicKey.export({ type: 'spki', format: 'der' }),
          })
        : c.certificate({ type: 'x509', chain: [pki.device.der, pki.intermediate.der] });
    const key = mode === 'rpk' ? rpk.privateKey : pki.device.privateKey;
    await c.send(certificate, c.keyExchange(), c.certificateVerify(key), ...c.finish());
    await until(() => c.serverFinished(), 'server Finished');
    // an empty CoAP ACK, then close_notify
    await c.send(
      c.keys.seal(1, ContentType.applicationData, Uint8Array.of(0x60, 0x00, 0x00, 0x01)),
      c.keys.seal(1, ContentType.alert, Uint8Array.of(1, 0)),
    );
  } finally {
    await udp.close();
  }
}

/** Asks the child for "STATS lag connections completed failed busy". */
function stats(child: ChildPeer): Promise<{ lagP99Ms: number; cryptoBusy: number }> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.process.stdout! });
    const timer = setTimeout(() => reject(new Error('no STATS from the certificate server')), 5_000);
    lines.on('line', (line) => {
      const m = /^STATS (\S+) \d+ \d+ \d+ (\d+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      lines.close();
      resolve({ lagP99Ms: Number(m[1]), cryptoBusy: Number(m[2]) });
    });
    child.process.kill('SIGUSR2');
  });
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** Runs the RPK and the X.509 storms, each against a fresh server child. */
export async function ecdheHandshakes(): Promise<EcdheFigures[]> {
  const pki = testPki();
  const rpk = keyPair();
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-bench-'));
  const file = join(dir, 'credentials.json');
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
  const credentials: CertificateBenchCredentials = {
    serverKey: b64(pki.server.privateKey.export({ type: 'pkcs8', format: 'der' })),
    chain: [b64(pki.server.der), b64(pki.intermediate.der)],
    trustAnchor: b64(pki.root.der),
    clientRawPublicKey: b64(rpk.publicKey.export({ type: 'spki', format: 'der' })),
  };
  writeFileSync(file, JSON.stringify(credentials));
  const out: EcdheFigures[] = [];
  try {
    for (const mode of ['rpk', 'x509'] as const) {
      const child = await startChild(new URL('./certificateBenchServer.ts', import.meta.url), [file]);
      try {
        const op = (): Promise<void> => handshakeOnce(child.port, mode, pki, rpk);
        await runLoad(op, { inFlight: IN_FLIGHT, durationMs: 500, warmupMs: 0 });
        await stats(child);
        const rounds: LoadResult[] = [];
        for (let i = 0; i < ROUNDS; i++)
          rounds.push(
            await runLoad(op, {
              inFlight: IN_FLIGHT,
              durationMs: ROUND_MS,
              warmupMs: WARMUP_MS,
              cpuProbe: () => child.cpuSeconds() ?? NaN,
            }),
          );
        const s = await stats(child);
        const result = rounds.find((r) => r.perSec === median(rounds.map((x) => x.perSec)))!;
        const serverCpuUs = median(rounds.map((r) => (r.cpuSeconds * 1e6) / r.operations));
        out.push({ mode, result, serverCpuUs, lagP99Ms: s.lagP99Ms, cryptoBusy: s.cryptoBusy });
      } finally {
        await child.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
