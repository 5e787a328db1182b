// Interop of DtlsTransport with independent DTLS 1.2 implementations (research/dtls.md section
// 5, T1/T1c): our server with `openssl s_client` and `gnutls-cli --udp`, our client with
// `openssl s_server -listen` (which sends a HelloVerifyRequest) and `gnutls-serv --udp --echo`. PSK 73656372657450534b, identity
// id1, TLS_PSK_WITH_AES_128_CCM_8. Every child process is bounded by a timeout and killed in finally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';
import { requirePeer } from '../../support/peers.js';
import { waitUntil } from '../../support/waitUntil.js';

const PSK_HEX = '73656372657450534b';
const KEY = Buffer.from(PSK_HEX, 'hex');
const CHILD_TIMEOUT_MS = 30_000;
const openssl = requirePeer('openssl', 'openssl');
const gnutls = requirePeer('gnutls-cli', 'gnutls-bin');
const gnutlsServer = requirePeer('gnutls-serv', 'gnutls-bin');

/** A child process with its stdout collected. */
function start(path: string, args: string[]): { proc: ChildProcess; out: () => string } {
  const proc = spawn(path, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: CHILD_TIMEOUT_MS });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stdin!.on('error', () => undefined);
  return { proc, out: () => out };
}

async function ourServer(): Promise<{ server: DtlsTransport; got: { text: string; peer: Peer }[] }> {
  const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    pskFor: (identity) => (identity === 'id1' ? KEY : undefined),
  });
  const got: { text: string; peer: Peer }[] = [];
  server.onDatagram((b, peer) => {
    got.push({ text: Buffer.from(b).toString('utf8'), peer });
    void server.send(peer, Buffer.from('reply from lwm2m-ts\n')).catch(() => undefined);
  });
  return { server, got };
}

/** Runs a DTLS client program against our server: it sends a line, we answer one. */
async function clientAgainstOurServer(path: string, args: (port: number) => string[]): Promise<void> {
  const { server, got } = await ourServer();
  const child = start(path, args(server.address().port));
  try {
    child.proc.stdin!.write('hello from the peer\n');
    await waitUntil(() => got.length > 0, 'the line from the peer', 20_000);
    assert.equal(got[0]!.text, 'hello from the peer\n');
    assert.deepEqual(got[0]!.peer.identity, { kind: 'psk', identity: 'id1' });
    await waitUntil(
      () => child.out().includes('reply from lwm2m-ts'),
      'our reply on the peer stdout',
      20_000,
    );
    assert.equal(server.stats.handshakesCompleted, 1);
  } finally {
    child.proc.kill('SIGKILL');
    await server.close();
  }
}

test('openssl s_client handshakes with our server and data flows both ways', { skip: openssl.skip }, () =>
  clientAgainstOurServer(openssl.path!, (port) => [
    's_client',
    '-dtls1_2',
    '-psk',
    PSK_HEX,
    '-psk_identity',
    'id1',
    '-cipher',
    'PSK-AES128-CCM8',
    '-connect',
    `127.0.0.1:${port}`,
    '-quiet',
  ]),
);

test('gnutls-cli --udp handshakes with our server and data flows both ways', { skip: gnutls.skip }, () =>
  clientAgainstOurServer(gnutls.path!, (port) => [
    '--udp',
    '-p',
    String(port),
    '127.0.0.1',
    '--pskusername',
    'id1',
    '--pskkey',
    PSK_HEX,
    '--priority',
    'NORMAL:-KX-ALL:+PSK:+AES-128-CCM-8',
  ]),
);

test(
  'our client handshakes with openssl s_server -listen and data flows both ways',
  { skip: openssl.skip },
  async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = start(openssl.path!, [
      's_server',
      '-dtls1_2',
      '-listen',
      '-accept',
      `127.0.0.1:${port}`,
      '-nocert',
      '-psk',
      PSK_HEX,
      '-psk_identity',
      'id1',
      '-cipher',
      'PSK-AES128-CCM8',
      '-naccept',
      '1',
    ]);
    const client = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
      role: 'client',
      psk: { identity: 'id1', key: KEY },
    });
    const got: { text: string; peer: Peer }[] = [];
    client.onDatagram((b, peer) => got.push({ text: Buffer.from(b).toString('utf8'), peer }));
    try {
      await waitUntil(() => child.out().includes('ACCEPT'), 's_server listening', 20_000);
      await client.send(makePeer('127.0.0.1', port), Buffer.from('hello from lwm2m-ts\n'));
      await waitUntil(
        () => child.out().includes('hello from lwm2m-ts'),
        'our line on s_server stdout',
        20_000,
      );
      assert.match(child.out(), /CIPHER is PSK-AES128-CCM8/);
      child.proc.stdin!.write('hello from s_server\n');
      await waitUntil(() => got.length > 0, 'the line from s_server', 20_000);
      assert.equal(got[0]!.text, 'hello from s_server\n');
      assert.deepEqual(got[0]!.peer.identity, { kind: 'psk', identity: 'id1' });
    } finally {
      child.proc.kill('SIGKILL');
      await client.close();
    }
  },
);

test(
  'our client handshakes with gnutls-serv --udp --echo and gets its datagram back',
  { skip: gnutlsServer.skip },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwm2m-dtls-'));
    const pskFile = join(dir, 'psk.txt');
    writeFileSync(pskFile, `id1:${PSK_HEX}\n`);
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = start(gnutlsServer.path!, [
      '--udp',
      '-p',
      String(port),
      '--echo',
      '--pskpasswd',
      pskFile,
      '--priority',
      'NORMAL:+PSK:+AES-128-CCM-8',
    ]);
    const client = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
      role: 'client',
      psk: { identity: 'id1', key: KEY },
    });
    const got: string[] = [];
    client.onDatagram((b) => got.push(Buffer.from(b).toString('utf8')));
    try {
      await waitUntil(() => /listening on IPv4/.test(child.out()), 'gnutls-serv listening', 20_000);
      await client.send(makePeer('127.0.0.1', port), Buffer.from('echo me\n'));
      await waitUntil(() => got.length > 0, 'the echo from gnutls-serv', 20_000);
      assert.equal(got[0], 'echo me\n');
    } finally {
      child.proc.kill('SIGKILL');
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
