// Tests of the RFC 7252 4.8.2 derived transmission values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TRANSMISSION_PARAMS, deriveParams } from '../../src/coap/transmissionParams.js';

test('defaults give the RFC 7252 4.8.2 values', () => {
  const p = DEFAULT_TRANSMISSION_PARAMS;
  assert.equal(p.ackTimeoutMs, 2_000);
  assert.equal(p.ackRandomFactor, 1.5);
  assert.equal(p.maxRetransmit, 4);
  assert.equal(p.nstart, 1);
  assert.equal(p.maxTransmitSpanMs, 45_000);
  assert.equal(p.maxTransmitWaitMs, 93_000);
  assert.equal(p.maxRttMs, 202_000);
  assert.equal(p.exchangeLifetimeMs, 247_000);
  assert.equal(p.nonLifetimeMs, 145_000);
});

test('derived values follow changed base parameters', () => {
  const p = deriveParams({ ackTimeoutMs: 1_000, maxRetransmit: 2 });
  assert.equal(p.processingDelayMs, 1_000);
  assert.equal(p.maxTransmitSpanMs, 1_000 * 3 * 1.5);
  assert.equal(p.maxTransmitWaitMs, 1_000 * 7 * 1.5);
  assert.equal(p.exchangeLifetimeMs, 4_500 + 200_000 + 1_000);
});

test('rejects unusable parameters', () => {
  assert.throws(() => deriveParams({ ackRandomFactor: 0.5 }), RangeError);
  assert.throws(() => deriveParams({ nstart: 0 }), RangeError);
  assert.throws(() => deriveParams({ ackTimeoutMs: 0 }), RangeError);
});
