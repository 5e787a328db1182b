// Issue 14 item 6: a store write that cannot be made durable (here SQLite's disk-full path:
// max_page_count caps the file) makes that Register or Update answer 5.03 Service Unavailable
// with Max-Age (RFC 7252 5.9.3.4: when to retry), changes nothing, reports the refusal, and the
// server goes on serving once the store can write again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import { decodeUint } from '../../src/coap/options.js';
import { STORE_RETRY_AFTER_S } from '../../src/server/RegistrationService.js';
import type { RegistrationRejectedEvent } from '../../src/server/Lwm2mServerEvents.js';
import { SqliteRegistrationStore } from '../../src/store/sqlite/SqliteRegistrationStore.js';
import { openTempDatabase } from '../store/sqlite/tempDataFiles.js';
import { startServer } from './serverFixture.js';

/** Objects and Object Instances links of about 40 KB: a row too large for the capped file. */
const BIG = Array.from({ length: 4_000 }, (_, i) => `</${10_000 + i}/0>`).join(',');

function maxAgeOf(options: readonly { number: number; value: Uint8Array }[]): number | undefined {
  const o = options.find((x) => x.number === OptionNumber.MAX_AGE);
  return o === undefined ? undefined : decodeUint(o.value);
}

test('a Register or Update the store cannot write is answered 5.03 with Max-Age, and the server keeps serving', async () => {
  const db = openTempDatabase();
  const store = await SqliteRegistrationStore.open(db);
  const s = await startServer({
    store,
    registrationLimits: { maxPayloadLength: 65_000, maxLinks: 5_000 },
    limits: { maxRegistrationBytes: 4_000_000 },
  });
  const rejected: RegistrationRejectedEvent[] = [];
  s.server.on('registrationRejected', (e) => void rejected.push(e));
  const { id } = await s.client.register(['ep=small', 'lt=600', 'lwm2m=1.1']);
  const full = (): void => {
    const pages = db.connection.pragma('page_count', { simple: true }) as number;
    db.connection.pragma(`max_page_count = ${pages}`);
  };
  full();

  const register = await s.client.register(['ep=big', 'lt=600', 'lwm2m=1.1'], BIG);
  assert.equal(register.res.code, Code.SERVICE_UNAVAILABLE, new TextDecoder().decode(register.res.payload));
  assert.equal(maxAgeOf(register.res.options), STORE_RETRY_AFTER_S);
  assert.equal(await s.server.getRegistration('big'), undefined);

  const update = await s.client.update(id!, ['lt=900'], BIG);
  assert.equal(update.code, Code.SERVICE_UNAVAILABLE);
  assert.equal(maxAgeOf(update.options), STORE_RETRY_AFTER_S);
  assert.equal((await s.server.getRegistration('small'))?.lifetime, 600, 'unchanged');
  assert.deepEqual(
    rejected.map((e) => e.code),
    [Code.SERVICE_UNAVAILABLE, Code.SERVICE_UNAVAILABLE],
  );

  db.connection.pragma('max_page_count = 1073741823'); // room again
  assert.equal((await s.client.register(['ep=big', 'lt=600', 'lwm2m=1.1'], BIG)).res.code, Code.CREATED);
  assert.equal((await s.client.update(id!, ['lt=900'])).code, Code.CHANGED);
  assert.equal((await s.server.getRegistration('small'))?.lifetime, 900);
  await s.close();
});
