// Fuzzes DTLS handshake fragment reassembly (RFC 6347 4.2.3) and alerts, DTLS_FUZZ_INPUTS each
// (default 1M). Record contents (the golden captures' handshake records, and their messages cut
// into overlapping fragments) are mutated and fed, fragment by fragment, into one Reassembler per
// 16 inputs: nothing but DecodeError is thrown, messages come out whole and in message_seq order,
// and what it buffers stays within its bounds (pending messages, bytes, ranges). Alert contents
// decode only as exactly two bytes and encode back the same. FUZZ_SEED replays a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAlert, encodeAlert, endsConnection } from '../../src/transport/dtls/handshake/alerts.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeFragment,
  type HandshakeFragment,
} from '../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import {
  DEFAULT_REASSEMBLER_OPTIONS,
  Reassembler,
  type FragmentOutcome,
} from '../../src/transport/dtls/handshake/Reassembler.js';
import { handshakeMessages, handshakeRecordContents } from '../transport/dtls/captureMessages.js';
import { heldEntries } from '../transport/dtls/heldState.js';
import { DTLS_FUZZ_INPUTS } from './dtlsFuzzInputs.js';
import { fuzzDecoder } from './mutator.js';

const OUTCOMES: readonly FragmentOutcome[] = ['accepted', 'duplicate', 'old', 'future', 'invalid', 'limit'];
const { maxPendingMessages, maxMessageLength, maxRanges } = DEFAULT_REASSEMBLER_OPTIONS;
/** Entries a Reassembler may hold: its pending map, and per message its ranges (pairs). */
const MAX_HELD = maxPendingMessages * (1 + maxRanges * 3);

/** Each captured message cut in three overlapping fragments, one record content each and all in one. */
function fragmentedContents(): Uint8Array[] {
  return handshakeMessages.flatMap((m) => {
    const n = m.body.length;
    const cuts: [number, number][] = [
      [0, Math.ceil(n / 2)],
      [Math.floor(n / 3), n],
      [Math.floor(n / 4), Math.ceil((3 * n) / 4)],
    ];
    const parts = cuts.map(([s, e]): HandshakeFragment => ({
      ...m,
      fragmentOffset: s,
      body: m.body.subarray(s, e),
    }));
    const encoded = parts.map(encodeHandshakeFragment);
    return [...encoded, Buffer.concat(encoded.slice().reverse())];
  });
}

test(`DTLS handshake reassembly: ${DTLS_FUZZ_INPUTS} mutated record contents stay bounded and in order`, () => {
  const corpus = [...handshakeRecordContents, ...fragmentedContents()];
  let reassembler = new Reassembler();
  let delivered = 0;
  let lastSeq = -1;
  let fed = 0;
  const { ok, rejected } = fuzzDecoder('DTLS reassembly', corpus, DTLS_FUZZ_INPUTS, (bytes, m) => {
    if (fed++ % 16 === 0) {
      const held = heldEntries(reassembler).total;
      assert.ok(held <= MAX_HELD, `a Reassembler holds ${held} entries (bound ${MAX_HELD})`);
      const first = m.int(3);
      reassembler = new Reassembler({}, first);
      lastSeq = first - 1;
    }
    for (const f of decodeHandshakeFragments(bytes)) {
      const outcome = reassembler.add(f);
      assert.ok(OUTCOMES.includes(outcome), `outcome ${outcome}`);
      for (let msg = reassembler.take(); msg; msg = reassembler.take()) {
        assert.equal(msg.messageSeq, lastSeq + 1, 'messages come out in message_seq order');
        assert.ok(msg.body.length <= maxMessageLength, `a message of ${msg.body.length} bytes`);
        lastSeq = msg.messageSeq;
        delivered++;
      }
      assert.ok(
        reassembler.bufferedBytes <= maxPendingMessages * maxMessageLength,
        `${reassembler.bufferedBytes} bytes buffered`,
      );
    }
  });
  console.log(`DTLS reassembly: ${ok} decoded, ${rejected} rejected, ${delivered} messages delivered`);
  assert.ok(delivered > 1000, `only ${delivered} messages reassembled; the corpus is too hostile`);
});

test(`DTLS alerts: ${DTLS_FUZZ_INPUTS} mutated alert contents decode only as two bytes and round-trip`, () => {
  const corpus = [encodeAlert(1, 0), encodeAlert(2, 40), encodeAlert(2, 115), encodeAlert(1, 100)];
  let alerts = 0;
  fuzzDecoder('DTLS alerts', corpus, DTLS_FUZZ_INPUTS, (bytes) => {
    const alert = decodeAlert(bytes);
    assert.equal(alert !== undefined, bytes.length === 2, `${bytes.length} bytes`);
    if (!alert) return;
    alerts++;
    assert.deepEqual(encodeAlert(alert.level, alert.description), bytes);
    assert.equal(endsConnection(alert), alert.level !== 1 || alert.description === 0);
  });
  assert.ok(alerts > 1000, `only ${alerts} two-byte inputs`);
});
