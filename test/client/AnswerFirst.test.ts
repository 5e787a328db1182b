// AnswerFirst (issue 11 item 11): reactions deferred while a request is served run only from the
// answer's afterSend hook, success or error alike; nothing deferred means no hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerFirst } from '../../src/client/AnswerFirst.js';

test('reactions deferred while serving wait for afterSend; outside serving they run at once', async () => {
  const first = new AnswerFirst();
  const ran: string[] = [];
  const captured = first.capture(async () => {
    first.defer(() => ran.push('update'));
    return 'changed';
  });
  assert.equal(await captured.result, 'changed');
  assert.equal(ran.length, 0, 'not before the answer is sent');
  const afterSend = captured.afterSend();
  assert.ok(afterSend);
  afterSend();
  afterSend();
  assert.deepEqual(ran, ['update'], 'once, from the hook');
  first.defer(() => ran.push('now'));
  assert.deepEqual(ran, ['update', 'now']);
});

test('a request that fails still releases what it deferred through afterSend; none deferred, no hook', async () => {
  const first = new AnswerFirst();
  const ran: string[] = [];
  const failing = first.capture((): Promise<string> => {
    first.defer(() => ran.push('re-register'));
    throw new Error('refused');
  });
  await assert.rejects(failing.result, /refused/);
  failing.afterSend()?.();
  assert.deepEqual(ran, ['re-register']);
  const quiet = first.capture(async () => 'read');
  assert.equal(quiet.afterSend(), undefined);
});
