// Issue 14 crash test, second half: "after restart ... observations still deliver notifications to
// the API, queued requests still go out". A child `lwm2m server` on SQLite is killed with SIGKILL
// while raw devices register, update and de-register (crashChild.ts). Before a kill, a raw client
// accepted an Observe started through REST (POST .../observe); after each restart the notifications
// it sends with that token are ACKed (RFC 7641 3.6: the server still knows the token) and reach
// GET /api/events. A request queued through REST (`?wait=false`, 202) for a sleeping Queue Mode
// client (Transport TS 1.1.1 section 6.5) before a kill goes out after the restart when the client
// sends an Update, and its answer settles the entry (`answered` at GET .../queue/{id}).
// Bounded: DEVICES devices, WORKERS in flight, at most OPS_PER_RUN operations per run, 2 kills.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { encodeUint, getLocationPath, getObserve, getUriPath } from '../../src/coap/options.js';
import { tokenKey } from '../../src/store/ObservationStore.js';
import { closeAfter } from '../support/closeAfter.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';
import { contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { SseReader } from '../support/SseReader.js';
import { waitUntil } from '../support/waitUntil.js';
import {
  crashFixture,
  exchange,
  kill,
  startChild,
  trafficUntilKilled,
  verify,
  type Child,
  type Target,
} from './crashChild.js';

const DEVICES = 10;
const WORKERS = 2;
const OPS_PER_RUN = 60;

/** Registers `peer` as `ep` (with `query` extras); returns its registration id. */
async function register(peer: RawCoapPeer, ep: string, query: string[], to: Target): Promise<string> {
  const links = '</1/0>,</3/0>,</3303/0>';
  const msg = requestMessage(Code.POST, '/rd', [`ep=${ep}`, 'lt=3600', 'lwm2m=1.1', ...query], links, [
    contentFormat(40),
  ]);
  const res = await exchange(peer, msg, to);
  assert.equal(res?.code, Code.CREATED, `register ${ep}`);
  return getLocationPath(res)[1]!;
}

/** The next request the server sends to `peer` (responses and ACKs are skipped). */
async function nextRequest(peer: RawCoapPeer): Promise<CoapMessage> {
  for (let i = 0; i < 10; i++) {
    const msg = decodeMessage((await peer.next(5_000)).bytes);
    if (msg.code > 0 && msg.code < 0x20) return msg;
  }
  throw new Error('no request from the server');
}

/** Answers `req` from `peer` with a piggybacked 2.05 text/plain `value`, with Observe `seq` if given. */
function answer(peer: RawCoapPeer, req: CoapMessage, value: string, to: Target, seq?: number) {
  const observe = seq === undefined ? [] : [{ number: OptionNumber.OBSERVE, value: encodeUint(seq) }];
  return peer.send(
    encodeMessage({
      type: MessageType.ACK,
      code: Code.CONTENT,
      messageId: req.messageId,
      token: req.token,
      options: [...observe, contentFormat(0)],
      payload: new TextEncoder().encode(value),
    }),
    to,
  );
}

/** Sends a CON notification with `token`; asserts it is ACKed (known), not RST (RFC 7641 3.6). */
async function notify(peer: RawCoapPeer, token: Uint8Array, seq: number, value: string, to: Target) {
  const msg: CoapMessage = {
    type: MessageType.CON,
    code: Code.CONTENT,
    messageId: 0x6000 + seq,
    token,
    options: [{ number: OptionNumber.OBSERVE, value: encodeUint(seq) }, contentFormat(0)],
    payload: new TextEncoder().encode(value),
  };
  await peer.send(encodeMessage(msg), to);
  const reply = decodeMessage((await peer.next(5_000)).bytes);
  assert.equal(reply.messageId, msg.messageId);
  assert.equal(reply.type, MessageType.ACK, `notification ${seq} taken, not rejected`);
}

/** Checks that a notification of the stored observation `id` reaches the event stream. */
async function notificationReachesApi(running: Child, peer: RawCoapPeer, token: Uint8Array, seq: number) {
  const events = await SseReader.open(`${running.api}/events?endpoint=crash-obs&types=notification`);
  const value = `2${seq}.5`;
  await notify(peer, token, seq, value, running.target);
  const frame = await events.waitFor((f) => f.data['sequence'] === seq, `notification ${seq}`);
  assert.equal(frame.data['observationId'], tokenKey(token));
  assert.deepEqual(frame.data['paths'], ['/3303/0/5700']);
  assert.equal((frame.data['content'] as { value: unknown }).value, Number(value));
  events.close();
}

test(
  'after SIGKILLs under traffic, a restarted server delivers notifications of a stored observation to the API and sends a request queued before the kill',
  { timeout: 180_000 },
  async () => {
    const { dataDir, seed, random, devices } = await crashFixture(DEVICES);
    const observed = closeAfter(await RawCoapPeer.open('127.0.0.1'));
    const sleeper = closeAfter(await RawCoapPeer.open('127.0.0.1'));
    const totals = { acknowledged: 0, lost: 0 };
    const traffic = (running: Child): Promise<void> =>
      trafficUntilKilled(
        devices,
        running,
        random,
        { workers: WORKERS, killAfter: 10 + Math.floor(random() * 40), maxOps: OPS_PER_RUN },
        totals,
      );

    // Run 0: an observation started through REST, accepted by the raw client; a Queue Mode client.
    let running = await startChild(dataDir);
    await register(observed, 'crash-obs', [], running.target);
    const sleeperId = await register(sleeper, 'crash-q', ['Q'], running.target);
    const started = fetch(`${running.api}/clients/crash-obs/3303/0/5700/observe`, { method: 'POST' });
    const observe = await nextRequest(observed);
    assert.deepEqual(getUriPath(observe), ['3303', '0', '5700']);
    assert.equal(getObserve(observe), 0);
    await answer(observed, observe, '20.5', running.target, 1);
    const res = await started;
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { observationId: string }).observationId, tokenKey(observe.token));
    await traffic(running);

    // Run 1: the notification reaches the API; the Queue Mode client (not heard from since the
    // restart) sleeps, so a Read through REST with ?wait=false is queued (202).
    running = await startChild(dataDir);
    await verify(devices, running.target);
    await notificationReachesApi(running, observed, observe.token, 2);
    const queued = await fetch(`${running.api}/clients/crash-q/3/0/0?wait=false`);
    assert.equal(queued.status, 202, await queued.clone().text());
    const { id: queuedId } = (await queued.json()) as { id: string };
    await traffic(running);

    // Run 2: still delivered; the client's Update gets the queued Read out, its answer settles it.
    running = await startChild(dataDir);
    await verify(devices, running.target);
    await notificationReachesApi(running, observed, observe.token, 3);
    const entry = `${running.api}/clients/crash-q/queue/${queuedId}`;
    const statusOf = async (): Promise<string> => {
      const r = await fetch(entry);
      const text = await r.text();
      assert.equal(r.status, 200, text);
      return (JSON.parse(text) as { status: string }).status;
    };
    assert.equal(await statusOf(), 'queued');
    const done = await SseReader.open(`${running.api}/events?types=queuedRequestDone`);
    const update = requestMessage(Code.POST, `/rd/${sleeperId}`, ['lt=3600']);
    await sleeper.send(encodeMessage(update), running.target);
    let read: CoapMessage | undefined;
    let updated = false;
    for (let i = 0; i < 10 && !(updated && read); i++) {
      const msg = decodeMessage((await sleeper.next(5_000)).bytes);
      if (msg.type === MessageType.ACK && msg.messageId === update.messageId) {
        assert.equal(msg.code, Code.CHANGED);
        updated = true;
      } else if (msg.code === Code.GET) read = msg;
    }
    assert.ok(updated && read, 'the Update answered and the queued Read sent');
    assert.deepEqual(getUriPath(read), ['3', '0', '0']);
    await answer(sleeper, read, 'crash-maker', running.target);
    await waitUntil(async () => (await statusOf()) === 'answered', 'the queued Read to be answered');
    const frame = await done.waitFor((f) => f.data['id'] === queuedId, 'queuedRequestDone');
    assert.equal(frame.data['status'], 'answered');
    assert.equal(frame.data['endpoint'], 'crash-q');
    await kill(running.child);
    console.log(`crash delivery test (seed ${seed}): ${JSON.stringify(totals)}`);
  },
);
