// The ECDHE_ECDSA handshake storm of `npm run bench -- dtls` (issue 15): full handshakes with raw
// public keys and with X.509 (the client sends its leaf and intermediate; the server's verdict
// cache knows the chain after the first) against bench/dtls/certificateBenchServer.ts in a child
// process, once with its public-key work inline (the default) and once on its worker pool. Each
// operation is a new client socket: cookie exchange, the server's flight, Certificate +
// ClientKeyExchange + CertificateVerify + ChangeCipherSpec + Finished, the server's Finished, one
// record and a close_notify. The client is the scripted one of the server tests
// (CertificateClientScript, on node:crypto), not our ClientHandshake; it runs in this process, on
// the same 2 cores, and costs about as much CPU as the server, so the wall rate is capped by the
// two together: the server's figure is its CPU per handshake (every thread of its process, from
// /proc, split into the event loop's thread and the others) and handshakes per server CPU-second.
// Beside them: this process's (the client's) share of the CPU the two used, and the server's
// event-loop lag p99 and crypto-busy drops.
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
import { processCpu, type ProcessCpu } from './processCpu.js';

/** Handshakes in flight at once. */
export const ECDHE_IN_FLIGHT = 32;
const ROUNDS = 3;
const ROUND_MS = 1_500;
const WARMUP_MS = 250;
const STEP_TIMEOUT_MS = 5_000;
/** Handshakes before the measured rounds (at most WARMUP_MAX_MS of them). */
const WARMUP_HANDSHAKES = 3_000;
const WARMUP_MAX_MS = 8_000;

/** Where the server's public-key work runs (its `handshakeCrypto` option). */
export type EcdheCrypto = 'inline' | 'workers';

/** One mode's figures. */
export interface EcdheFigures {
  readonly mode: 'rpk' | 'x509';
  readonly crypto: EcdheCrypto;
  readonly result: LoadResult;
  /** Server CPU per handshake, µs, every thread (median of the rounds). */
  readonly serverCpuUs: number;
  /** The part of it on the event loop's thread, µs (same round). */
  readonly serverMainCpuUs: number;
  /** The client's (this process's) share of the CPU client and server used, 0..1 (same round). */
  readonly clientCpuShare: number;
  readonly lagP99Ms: number;
  readonly cryptoBusy: number;
}

/** CPU seconds so far: the server's threads and this process (the client). */
interface CpuReading {
  readonly server: ProcessCpu;
  readonly client: number;
}

function readCpu(child: ChildPeer): CpuReading {
  const u = process.cpuUsage();
  return {
    server: processCpu(child.process.pid) ?? { main: NaN, all: NaN },
    client: (u.user + u.system) / 1e6,
  };
}

type Pki = ReturnType<typeof testPki>;

/** One handshake from a new socket to the server at `port`, one record, close_notify. */
export async function ecdheHandshakeOnce(
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

/** One measured round: the load result and its CPU figures per handshake. */
interface Round {
  readonly result: LoadResult;
  readonly serverUs: number;
  readonly mainUs: number;
  readonly clientShare: number;
}

/** Storms of `mode` handshakes against a fresh server child whose crypto runs as `crypto` says. */
async function storm(
  file: string,
  mode: 'rpk' | 'x509',
  crypto: EcdheCrypto,
  pki: Pki,
  rpk: ReturnType<typeof keyPair>,
): Promise<EcdheFigures> {
  const child = await startChild(new URL('./certificateBenchServer.ts', import.meta.url), [file, crypto]);
  try {
    const op = (): Promise<void> => ecdheHandshakeOnce(child.port, mode, pki, rpk);
    // steady state: the JIT compiles the handshake's functions over its first thousands
    const warmupEnd = performance.now() + WARMUP_MAX_MS;
    for (let done = 0; done < WARMUP_HANDSHAKES && performance.now() < warmupEnd;)
      done += (await runLoad(op, { inFlight: ECDHE_IN_FLIGHT, durationMs: 500, warmupMs: 0 })).operations;
    await stats(child);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const readings: CpuReading[] = [];
      const result = await runLoad(op, {
        inFlight: ECDHE_IN_FLIGHT,
        durationMs: ROUND_MS,
        warmupMs: WARMUP_MS,
        cpuProbe: () => {
          const r = readCpu(child);
          readings.push(r);
          return r.server.all;
        },
      });
      const [a, b] = [readings[0]!, readings.at(-1)!];
      const server = b.server.all - a.server.all;
      const client = b.client - a.client;
      rounds.push({
        result,
        serverUs: (server * 1e6) / result.operations,
        mainUs: ((b.server.main - a.server.main) * 1e6) / result.operations,
        clientShare: client / (client + server),
      });
    }
    const s = await stats(child);
    const mid = median(rounds.map((r) => r.serverUs));
    const round = rounds.find((r) => r.serverUs === mid)!;
    const rate = median(rounds.map((r) => r.result.perSec));
    return {
      mode,
      crypto,
      result: rounds.find((r) => r.result.perSec === rate)!.result,
      serverCpuUs: mid,
      serverMainCpuUs: round.mainUs,
      clientCpuShare: round.clientShare,
      lagP99Ms: s.lagP99Ms,
      cryptoBusy: s.cryptoBusy,
    };
  } finally {
    await child.stop();
  }
}

/** Runs the RPK and the X.509 storms, inline and on workers, each against a fresh server child. */
export async function ecdheHandshakes(
  cryptoModes: readonly EcdheCrypto[] = ['inline', 'workers'],
): Promise<EcdheFigures[]> {
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
    for (const mode of ['rpk', 'x509'] as const)
      for (const crypto of cryptoModes) out.push(await storm(file, mode, crypto, pki, rpk));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
