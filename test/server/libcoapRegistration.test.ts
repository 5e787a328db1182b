// Registration by hand with libcoap (Debian libcoap3-bin): coap-client-notls POSTs to /rd as a
// person would, and the server registers the client (Core TS 6.2.1, Transport TS 6.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import type { RegisteredEvent } from '../../src/server/Lwm2mServerEvents.js';
import { requirePeer } from '../support/peers.js';

const run = promisify(execFile);
const client = requirePeer('coap-client-notls', 'libcoap3-bin');

test(
  'coap-client-notls registers with POST /rd and the registered event names its objects',
  { skip: client.skip },
  async () => {
    const server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0 });
    try {
      const events: RegisteredEvent[] = [];
      server.on('registered', (e) => void events.push(e));
      const port = server.address().port;
      const { stdout } = await run(
        client.path!,
        [
          '-m',
          'post',
          '-B',
          '5',
          `coap://127.0.0.1:${port}/rd?ep=libcoap-node&lt=60&lwm2m=1.1&b=U`,
          '-e',
          '</1/0>,</3/0>',
        ],
        { timeout: 10_000 },
      );
      const reg = await server.waitForRegistration('libcoap-node', 5_000);
      assert.equal(reg.lifetime, 60);
      assert.equal(reg.lwm2mVersion, '1.1');
      assert.deepEqual([...reg.objectLinks.objects.keys()], [1, 3]);
      assert.deepEqual(reg.objectLinks.objects.get(3)?.instances, [0]);
      assert.equal(events.length, 1);
      assert.equal(events[0]?.registration.id, reg.id);
      assert.doesNotMatch(stdout, /4\.\d\d/);
      const { stdout: again } = await run(
        client.path!,
        ['-m', 'delete', '-B', '5', `coap://127.0.0.1:${port}/rd/${reg.id}`],
        { timeout: 10_000 },
      );
      assert.doesNotMatch(again, /4\.\d\d/);
      assert.equal(await server.getRegistration('libcoap-node'), undefined);
    } finally {
      await server.stop();
    }
  },
);
