// BootstrapServer events (Core TS 1.1.1 5.2.7) are emitted from inside a session: a listener that
// throws or rejects is reported as a 'warning' and neither stops nor fails the session.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { startBootstrap } from './bootstrapFixture.js';

const config: BootstrapConfig = {
  security: {
    1: {
      uri: 'coap://a:5683',
      bootstrapServer: false,
      securityMode: 'nosec',
      shortServerId: 101,
    },
  },
  servers: { 0: { shortServerId: 101, lifetime: 300, binding: 'U' } },
};
const boom = new Error('listener bug');
const thrower = (): never => {
  throw boom;
};

let fixture: Awaited<ReturnType<typeof startBootstrap>> | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

function listenerWarnings(event: string): Error[] {
  return fixture!.events
    .filter(([n, e]) => n === 'warning' && e instanceof Error && e.message.includes(`'${event}'`))
    .map(([, e]) => e as Error);
}

test('a throwing "sessionStarted" and "step" listener: the session still finishes, with warnings', async () => {
  fixture = await startBootstrap({ 'urn:dev:1': config });
  fixture.server.on('sessionStarted', thrower);
  fixture.server.on('step', thrower);
  const ended = fixture.sessionEnd();
  assert.equal((await fixture.requestBootstrap('urn:dev:1')).code, 0x44);
  const record = await ended;
  assert.equal(record.state, 'finished', JSON.stringify(record.failure));
  assert.equal(listenerWarnings('sessionStarted').length, 1);
  assert.equal(listenerWarnings('sessionStarted')[0]!.cause, boom);
  assert.equal(listenerWarnings('step').length, record.steps.length);
});

test('a rejecting "sessionFinished" listener and a throwing "warning" listener are contained', async () => {
  fixture = await startBootstrap({ 'urn:dev:1': config });
  let warningCalls = 0;
  fixture.server.on('warning', () => {
    warningCalls++;
    throw new Error('broken warning listener');
  });
  fixture.server.on('sessionFinished', () => Promise.reject(boom));
  const ended = fixture.sessionEnd();
  await fixture.requestBootstrap('urn:dev:1');
  assert.equal((await ended).state, 'finished');
  await new Promise((r) => setImmediate(r));
  assert.equal(listenerWarnings('sessionFinished').length, 1);
  assert.equal(warningCalls, 1);
});
