// Issue 14 crash test at process level: a child `lwm2m server` on SQLite is killed with SIGKILL at
// random moments while raw CoAP devices register, update and de-register. A Register, Update or
// De-register is acknowledged only once durable (DESIGN.md, Persistence), so after a restart on the
// same data directory every registration whose 2.01/2.04 a device saw is there (its Update is
// answered 2.04), and every acknowledged de-registration is gone (an Update of it is answered
// 4.04). An operation whose answer was lost with the process proves nothing either way.
// Bounded: DEVICES devices, WORKERS operations in flight, at most OPS_PER_RUN operations per run, KILLS kills, 1 s per answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, MessageType, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { getLocationPath } from '../../src/coap/options.js';
import { closeAfter } from '../support/closeAfter.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';
import { contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { waitUntil } from '../support/waitUntil.js';

const DEVICES = 40;
const WORKERS = 4;
const OPS_PER_RUN = 200;
const KILLS = 3;
const ANSWER_MS = 1_000;

interface Target {
  address: string;
  port: number;
}

/** What a device knows of its registration: only acknowledged operations make it certain. */
interface Device {
  readonly endpoint: string;
  readonly peer: RawCoapPeer;
  id: string | undefined;
  state: 'absent' | 'present' | 'unknown';
}

/** Starts `lwm2m server` on `dataDir`; resolves with the child and its CoAP address. */
async function startChild(dataDir: string): Promise<{ child: ChildProcess; target: Target }> {
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
  let port: number | undefined;
  await waitUntil(
    () => {
      const line = out.split('\n').find((l) => l.includes('"LwM2M server listening"'));
      const url = line && (JSON.parse(line) as { url: string }).url;
      port = url ? Number(url.split(':').pop()) : undefined;
      return port !== undefined || child.exitCode !== null;
    },
    'the server to listen',
    30_000,
  );
  assert.ok(port !== undefined, `the server did not start:\n${out}\n${err}`);
  return { child, target: { address: '127.0.0.1', port } };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** Sends `msg` from the device and waits for its ACK; undefined when none came in time. */
async function exchange(d: Device, msg: CoapMessage, to: Target): Promise<CoapMessage | undefined> {
  await d.peer.send(encodeMessage(msg), to);
  const deadline = Date.now() + ANSWER_MS;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    const got = await d.peer.next(left).catch(() => undefined);
    if (!got) return undefined;
    const reply = decodeMessage(got.bytes);
    if (reply.type === MessageType.ACK && reply.messageId === msg.messageId) return reply;
  }
}

/** One operation of `d`, chosen from what it knows; returns false when no answer came. */
async function step(d: Device, to: Target, random: () => number): Promise<boolean> {
  if (d.state !== 'present') {
    const msg = requestMessage(
      Code.POST,
      '/rd',
      [`ep=${d.endpoint}`, 'lt=3600', 'lwm2m=1.1'],
      '</1/0>,</3/0>',
      [contentFormat(40)],
    );
    d.state = 'unknown';
    const res = await exchange(d, msg, to);
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
  const res = await exchange(d, msg, to);
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
async function verify(devices: Device[], to: Target): Promise<{ present: number; absent: number }> {
  let present = 0;
  let absent = 0;
  for (const d of devices) {
    if (d.state === 'unknown' || d.id === undefined) continue;
    const res = await exchange(d, requestMessage(Code.POST, `/rd/${d.id}`, ['lt=3600']), to);
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

test(
  'after SIGKILL at random moments, a restarted server has every acknowledged registration and no acknowledged de-registration',
  { timeout: 180_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lwm2m-crash-'));
    closeAfter({ close: () => rmSync(dataDir, { recursive: true, force: true }) });
    const seed = Date.now() % 1_000_000;
    let s = seed;
    const random = (): number => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const devices: Device[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const peer = closeAfter(await RawCoapPeer.open('127.0.0.1'));
      devices.push({ endpoint: `crash-${i}`, peer, id: undefined, state: 'absent' });
    }
    const totals = { acknowledged: 0, lost: 0, checkedPresent: 0, checkedAbsent: 0 };
    for (let run = 0; run <= KILLS; run++) {
      const { child, target } = await startChild(dataDir);
      if (run > 0) {
        const v = await verify(devices, target);
        totals.checkedPresent += v.present;
        totals.checkedAbsent += v.absent;
      }
      if (run === KILLS) {
        await kill(child);
        break;
      }
      // WORKERS operations in flight at any time, each on a random idle device (the others hold an
      // acknowledged state); the process is killed after a random number of operations.
      const killAfter = 40 + Math.floor(random() * (OPS_PER_RUN - 40));
      let done = 0;
      let killed = false;
      const busy = new Set<Device>();
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          while (!killed && done < OPS_PER_RUN) {
            const idle = devices.filter((d) => !busy.has(d));
            const d = idle[Math.floor(random() * idle.length)]!;
            busy.add(d);
            const answered = await step(d, target, random);
            busy.delete(d);
            done++;
            if (answered) totals.acknowledged++;
            else totals.lost++;
            if (!killed && done >= killAfter) {
              killed = true;
              child.kill('SIGKILL'); // the other workers' operations are in flight
            }
          }
        }),
      );
      await kill(child);
    }
    assert.ok(totals.checkedPresent + totals.checkedAbsent > 0, 'something was checked');
    console.log(`crash test (seed ${seed}): ${JSON.stringify(totals)}`);
  },
);
