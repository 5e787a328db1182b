// Helpers of the issue 14 crash tests (crashRestart*.test.ts): a child `lwm2m server` on SQLite in
// a data directory, killed with SIGKILL, and raw CoAP devices that register, update and
// de-register against it, each knowing only what the server acknowledged. A Register, Update or
// De-register is acknowledged only once durable (DESIGN.md, Persistence), so after a restart on
// the same directory every registration whose 2.01/2.04 a device saw is there (its Update is
// answered 2.04), and every acknowledged de-registration is gone (an Update of it is answered
// 4.04). An operation whose answer was lost with the process proves nothing either way.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Code, MessageType, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { getLocationPath } from '../../src/coap/options.js';
import { closeAfter } from '../support/closeAfter.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';
import { contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { waitUntil } from '../support/waitUntil.js';

/** How long a device waits for an answer, ms. */
export const ANSWER_MS = 1_000;

export interface Target {
  address: string;
  port: number;
}

/** What a device knows of its registration: only acknowledged operations make it certain. */
export interface Device {
  readonly endpoint: string;
  readonly peer: RawCoapPeer;
  id: string | undefined;
  state: 'absent' | 'present' | 'unknown';
}

/** A running child server: its CoAP address and its REST API base URL (`http://…/api`). */
export interface Child {
  readonly child: ChildProcess;
  readonly target: Target;
  readonly api: string;
}

/** The `url` of the JSON log line whose message is `msg`, if it was printed. */
function loggedUrl(out: string, msg: string): string | undefined {
  const line = out.split('\n').find((l) => l.includes(`"${msg}"`));
  return line && (JSON.parse(line) as { url: string }).url;
}

/** Starts `lwm2m server` on `dataDir`; resolves once both its CoAP port and its REST API listen. */
export async function startChild(dataDir: string): Promise<Child> {
  const args = ['--coap-port', '0', '--coap-address', '127.0.0.1', '--http-port', '0', '--no-coaps'];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'server', ...args, '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LWM2M_STORE: 'sqlite',
        LWM2M_LOG_FORMAT: 'json',
        LWM2M_REGISTRATIONS_PER_SECOND: '100000',
      },
    },
  );
  closeAfter({ close: () => void child.kill('SIGKILL') });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  let coap: string | undefined;
  let api: string | undefined;
  await waitUntil(
    () => {
      coap = loggedUrl(out, 'LwM2M server listening');
      api = loggedUrl(out, 'REST API listening');
      return (coap !== undefined && api !== undefined) || child.exitCode !== null;
    },
    'the server to listen',
    30_000,
  );
  assert.ok(coap !== undefined && api !== undefined, `the server did not start:\n${out}\n${err}`);
  return { child, target: { address: '127.0.0.1', port: Number(coap.split(':').pop()) }, api };
}

/** Kills `child` with SIGKILL (if it still runs) and waits for it to exit. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** Sends `msg` from `peer` and waits for its ACK; undefined when none came in time. */
export async function exchange(
  peer: RawCoapPeer,
  msg: CoapMessage,
  to: Target,
): Promise<CoapMessage | undefined> {
  await peer.send(encodeMessage(msg), to);
  const deadline = Date.now() + ANSWER_MS;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    const got = await peer.next(left).catch(() => undefined);
    if (!got) return undefined;
    const reply = decodeMessage(got.bytes);
    if (reply.type === MessageType.ACK && reply.messageId === msg.messageId) return reply;
  }
}

/** One operation of `d`, chosen from what it knows; returns false when no answer came. */
export async function step(d: Device, to: Target, random: () => number): Promise<boolean> {
  if (d.state !== 'present') {
    const msg = requestMessage(
      Code.POST,
      '/rd',
      [`ep=${d.endpoint}`, 'lt=3600', 'lwm2m=1.1'],
      '</1/0>,</3/0>',
      [contentFormat(40)],
    );
    d.state = 'unknown';
    const res = await exchange(d.peer, msg, to);
    if (!res) return false;
    assert.equal(res.code, Code.CREATED);
    d.id = getLocationPath(res)[1];
    d.state = 'present';
    return true;
  }
  const deregister = random() < 0.3;
  const msg = deregister
    ? requestMessage(Code.DELETE, `/rd/${d.id}`)
    : requestMessage(Code.POST, `/rd/${d.id}`, ['lt=3600']);
  d.state = 'unknown';
  const res = await exchange(d.peer, msg, to);
  if (!res) return false;
  assert.equal(
    res.code,
    deregister ? Code.DELETED : Code.CHANGED,
    `${d.endpoint} ${deregister ? 'DELETE' : 'POST'}`,
  );
  d.state = deregister ? 'absent' : 'present';
  return true;
}

/** Checks, through CoAP, that the restarted server holds exactly what was acknowledged. */
export async function verify(devices: Device[], to: Target): Promise<{ present: number; absent: number }> {
  let present = 0;
  let absent = 0;
  for (const d of devices) {
    if (d.state === 'unknown' || d.id === undefined) continue;
    const res = await exchange(d.peer, requestMessage(Code.POST, `/rd/${d.id}`, ['lt=3600']), to);
    assert.ok(res, `${d.endpoint}: no answer from the restarted server`);
    if (d.state === 'present') {
      assert.equal(res.code, Code.CHANGED, `${d.endpoint}: its acknowledged registration ${d.id} was lost`);
      present++;
    } else {
      assert.equal(res.code, Code.NOT_FOUND, `${d.endpoint}: its acknowledged de-registration came back`);
      absent++;
    }
  }
  return { present, absent };
}

/** A seeded pseudo-random generator in [0, 1) (the seed is printed, so a failing run can be replayed). */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/**
 * Runs `workers` operations in flight at any time, each on a random idle device (the others hold
 * an acknowledged state), and kills `child` after `killAfter` operations, while the other workers'
 * operations are in flight; at most `maxOps` operations. Counts the answered and the lost ones.
 */
export async function trafficUntilKilled(
  devices: Device[],
  running: Child,
  random: () => number,
  limits: { workers: number; killAfter: number; maxOps: number },
  totals: { acknowledged: number; lost: number },
): Promise<void> {
  let done = 0;
  let killed = false;
  const busy = new Set<Device>();
  await Promise.all(
    Array.from({ length: limits.workers }, async () => {
      while (!killed && done < limits.maxOps) {
        const idle = devices.filter((d) => !busy.has(d));
        const d = idle[Math.floor(random() * idle.length)]!;
        busy.add(d);
        const answered = await step(d, running.target, random);
        busy.delete(d);
        done++;
        if (answered) totals.acknowledged++;
        else totals.lost++;
        if (!killed && done >= limits.killAfter) {
          killed = true;
          running.child.kill('SIGKILL');
        }
      }
    }),
  );
  await kill(running.child);
}

/**
 * A crash test's setup: a temporary data directory (removed after the test), the run's seeded
 * random source (the seed is printed, to replay a failure) and `count` raw devices, none registered.
 */
export async function crashFixture(count: number): Promise<{
  dataDir: string;
  seed: number;
  random: () => number;
  devices: Device[];
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lwm2m-crash-'));
  closeAfter({ close: () => rmSync(dataDir, { recursive: true, force: true }) });
  const seed = Date.now() % 1_000_000;
  const devices: Device[] = [];
  for (let i = 0; i < count; i++) {
    const peer = closeAfter(await RawCoapPeer.open('127.0.0.1'));
    devices.push({ endpoint: `crash-${i}`, peer, id: undefined, state: 'absent' });
  }
  return { dataDir, seed, random: seededRandom(seed), devices };
}
