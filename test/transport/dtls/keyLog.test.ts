// The key log (issue 13 item 6): with `keyLog`, each completed handshake, full or resumed, writes
// one NSS line `CLIENT_RANDOM <hex> <master hex>` on both ends, and the logged master secret with
// the captured randoms opens a captured application record (what Wireshark does with the file).
// sslKeyLogFileWriter appends to the file SSLKEYLOGFILE names, and is off when it is unset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyLogLine, sslKeyLogFileWriter } from '../../../src/transport/dtls/keyLog.js';
import { HandshakeType } from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { decodeServerHello } from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import type { DtlsSession } from '../../../src/transport/dtls/session/DtlsSession.js';
import { SessionCache } from '../../../src/transport/dtls/session/SessionCache.js';
import { TLS_PSK_WITH_AES_128_CCM_8 } from '../../../src/transport/dtls/suites.js';
import { ManualClock } from '../../support/ManualClock.js';
import {
  handshakeSentFrom,
  KEY,
  memoryClient,
  memoryServer,
  SERVER,
  sendThrough,
} from './resumptionSupport.js';

const LINE = /^CLIENT_RANDOM ([0-9a-f]{64}) ([0-9a-f]{96})$/;

test('full and resumed handshakes log one CLIENT_RANDOM line on each end; it opens a captured record', async () => {
  const clock = new ManualClock();
  const serverLines: string[] = [];
  const { net, server } = memoryServer(clock, new Map([['id1', KEY]]), {
    keyLog: (l) => serverLines.push(l),
  });
  const cache = new SessionCache<DtlsSession>({ maxEntries: 1, lifetimeMs: 60_000, clock });
  const clientLines: string[] = [];
  const first = memoryClient(net, clock, 40001, { sessionCache: cache, keyLog: (l) => clientLines.push(l) });
  const second = memoryClient(net, clock, 40002, { sessionCache: cache, keyLog: (l) => clientLines.push(l) });
  try {
    assert.equal(await sendThrough(first, clock, 'full'), 'sent');
    await first.close();
    assert.equal(await sendThrough(second, clock, 'resumed'), 'sent');
    assert.equal(server.stats.sessionsResumed, 1);
    assert.equal(serverLines.length, 2);
    assert.deepEqual(clientLines, serverLines, 'both ends log the same secrets');
    const [full, resumed] = serverLines.map((l) => LINE.exec(l)!);
    assert.ok(full && resumed);
    assert.equal(resumed[2], full[2], 'a resumed handshake keeps the master secret');
    assert.notEqual(resumed[1], full[1]);
    // Wireshark's job: the randoms from the capture, the master from the log, the record opened
    const serverHellos = handshakeSentFrom(net, SERVER.port).filter(
      (f) => f.msgType === HandshakeType.serverHello,
    );
    const serverRandom = decodeServerHello(serverHellos[1]!.body).random;
    const keys = new EpochKeys('server');
    keys.installPending(
      TLS_PSK_WITH_AES_128_CCM_8,
      Buffer.from(resumed[2]!, 'hex'),
      Buffer.from(resumed[1]!, 'hex'),
      serverRandom,
    );
    keys.activateRead();
    const captured = net.log
      .filter((d) => d.from.port === 40002)
      .flatMap((d) => decodeDatagram(d.bytes))
      .filter((r) => r.type === ContentType.applicationData);
    assert.equal(captured.length, 1);
    const opened = keys.open(captured[0]!)!;
    assert.equal(Buffer.from(opened.content).toString(), 'resumed');
  } finally {
    await second.close();
    await server.close();
  }
});

test('keyLogLine writes the NSS layout: CLIENT_RANDOM, 32-byte random, 48-byte master secret', () => {
  assert.equal(
    keyLogLine(new Uint8Array(32).fill(0xab), new Uint8Array(48).fill(1)),
    `CLIENT_RANDOM ${'ab'.repeat(32)} ${'01'.repeat(48)}`,
  );
});

test('sslKeyLogFileWriter appends lines to SSLKEYLOGFILE (mode 0600), and is off without it', () => {
  assert.equal(sslKeyLogFileWriter({}), undefined);
  assert.equal(sslKeyLogFileWriter({ SSLKEYLOGFILE: '' }), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-keylog-'));
  try {
    const file = join(dir, 'keys.log');
    const write = sslKeyLogFileWriter({ SSLKEYLOGFILE: file })!;
    write('CLIENT_RANDOM aa bb');
    write('CLIENT_RANDOM cc dd');
    assert.equal(readFileSync(file, 'utf8'), 'CLIENT_RANDOM aa bb\nCLIENT_RANDOM cc dd\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
