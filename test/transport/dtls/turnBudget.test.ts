// TurnBudget (the inline handshake crypto's bound per event-loop turn): operations run at once
// until the turn's budget is spent, then wait in order for later turns (timers run in between),
// a budget's worth (at least one) per turn; past maxWaiting a call is refused with CryptoBusyError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnBudget } from '../../../src/transport/dtls/crypto/TurnBudget.js';
import { CryptoBusyError } from '../../../src/transport/dtls/crypto/WorkerHandshakeCrypto.js';
import { InlineHandshakeCrypto } from '../../../src/transport/dtls/crypto/HandshakeCrypto.js';

/** A clock that advances 1 ms per read pair: each operation "costs" 1 ms. */
function steppingClock(): () => number {
  let t = 0;
  let reads = 0;
  return () => (reads++ % 2 === 0 ? t : ++t);
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
const microtasks = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

test('past the budget, operations wait for later turns, in order, a budget per turn', async () => {
  const budget = new TurnBudget({ budgetMs: 2, now: steppingClock() });
  const done: number[] = [];
  const calls = [1, 2, 3, 4, 5].map((n) => budget.run(() => n).then((v) => void done.push(v)));
  await microtasks();
  assert.deepEqual(done, [1, 2], 'two 1 ms operations fill a 2 ms budget; the rest wait');
  assert.equal(budget.waitingCount, 3);
  await nextTurn();
  await microtasks();
  assert.deepEqual(done, [1, 2, 3, 4], 'the next turn runs a budget of what waits');
  await Promise.all(calls);
  assert.deepEqual(done, [1, 2, 3, 4, 5]);
  assert.equal(budget.deferred, 3);
});

test('a new call queues behind waiting ones even when the new turn has budget', async () => {
  const budget = new TurnBudget({ budgetMs: 1, now: steppingClock() });
  const order: string[] = [];
  void budget.run(() => order.push('a'));
  const b = budget.run(() => order.push('b')); // over budget: waits
  await nextTurn(); // the turn that ran 'a' ends; 'b' runs now
  const c = budget.run(() => order.push('c'));
  await Promise.all([b, c]);
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('errors reject, now or later; past maxWaiting a call is refused with CryptoBusyError', async () => {
  const budget = new TurnBudget({ budgetMs: 0, maxWaiting: 1 });
  const first = budget.run(() => {
    throw new Error('not on the curve');
  });
  await assert.rejects(
    budget.run(() => 1),
    CryptoBusyError,
  );
  assert.equal(budget.busyRejections, 1);
  await assert.rejects(first, /not on the curve/);
  assert.equal(await budget.run(() => 7), 7, 'a budget of 0 still runs one operation per turn');
});

test('the inline handshake crypto spends at most its budget per turn', async () => {
  const crypto = new InlineHandshakeCrypto({ budgetMs: 0 });
  const pairs = await Promise.all([crypto.ecdhGenerate(), crypto.ecdhGenerate(), crypto.ecdhGenerate()]);
  assert.equal(new Set(pairs.map((p) => Buffer.from(p.publicPoint).toString('hex'))).size, 3);
  assert.equal(crypto.deferred, 3, 'with no budget every operation waits for a later turn');
  assert.throws(() => new TurnBudget({ budgetMs: -1 }), RangeError);
});
