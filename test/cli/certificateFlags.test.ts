// Issue 15 item 4, CLI: `lwm2m server` and `lwm2m bootstrap` take --cert, --key and --ca (PEM or
// DER files, --ca repeatable) and hand them to the DTLS listener as our certificate and the
// devices' trust anchors; bad combinations and files stop the start naming the flag and file,
// never showing a key; without them the defaults are unchanged (PSK only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBootstrapArgs, runBootstrap } from '../../src/cli/bootstrapCommand.js';
import { certificatePaths, writeCertificate } from '../../src/cli/certs/certificateFiles.js';
import { ConfigError } from '../../src/cli/configSources.js';
import { dtlsModesText, loadDtlsCertificate } from '../../src/cli/securityOptions.js';
import { parseServerArgs, runServer } from '../../src/cli/serverCommand.js';
import { testPki } from '../transport/dtls/x509/testPki.js';
import { captureLog } from '../support/captureLog.js';
import { localServer } from './localServer.js';

const pki = testPki();

async function withPkiFiles<T>(
  fn: (f: {
    dir: string;
    server: ReturnType<typeof certificatePaths>;
    root: ReturnType<typeof certificatePaths>;
    chainPem: string;
  }) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lwm2m-certflags-'));
  try {
    writeCertificate(dir, 'server', pki.server.der, pki.server.privateKey, false);
    writeCertificate(dir, 'root', pki.root.der, pki.root.privateKey, false);
    writeCertificate(dir, 'intermediate', pki.intermediate.der, pki.intermediate.privateKey, false);
    const chainPem = join(dir, 'chain.pem');
    const pem = (der: Buffer) =>
      `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
    await writeFile(chainPem, pem(pki.server.der) + pem(pki.intermediate.der));
    return await fn({
      dir,
      server: certificatePaths(dir, 'server'),
      root: certificatePaths(dir, 'root'),
      chainPem,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('--cert, --key and repeatable --ca parse on both commands, and from the settings file keys', () => {
  const args = ['--cert', 'c.pem', '--key', 'k.pem', '--ca', 'a.pem', '--ca', 'b.der'];
  const bsArgs = ['--server-uri', 'coap://127.0.0.1:5683', ...args];
  for (const o of [parseServerArgs(args), parseBootstrapArgs(bsArgs)]) {
    assert.equal(o.cert, 'c.pem');
    assert.equal(o.key, 'k.pem');
    assert.deepEqual(o.ca, ['a.pem', 'b.der']);
  }
  const none = parseServerArgs([]);
  assert.deepEqual([none.cert, none.key, none.ca], [undefined, undefined, undefined]);
  assert.deepEqual(parseServerArgs([], { LWM2M_KEY: 'k.der' }).key, 'k.der');
});

test('PEM and DER files load as our key and chain and the trust anchors', async () => {
  await withPkiFiles(async ({ server, root, chainPem }) => {
    for (const [cert, key] of [
      [server.pem, server.key],
      [server.der, server.keyDer],
    ] as const) {
      const loaded = loadDtlsCertificate({ cert, key, ca: [root.pem, root.der] });
      assert.deepEqual(
        loaded.certificate?.chain?.map((d) => Buffer.from(d)),
        [pki.server.der],
      );
      assert.equal(loaded.certificate?.privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
      assert.deepEqual(
        loaded.clientTrust?.trustAnchors?.map((d) => Buffer.from(d)),
        [pki.root.der, pki.root.der],
      );
      assert.equal(dtlsModesText({ port: 0, ...loaded }), 'DTLS 1.2 PSK, RPK, X.509 (ECDHE_ECDSA)');
    }
    const chain = loadDtlsCertificate({ cert: chainPem, key: server.key });
    assert.deepEqual(
      chain.certificate?.chain?.map((d) => Buffer.from(d)),
      [pki.server.der, pki.intermediate.der],
    );
    assert.equal(chain.clientTrust, undefined);
    const rpkOnly = loadDtlsCertificate({ key: server.keyDer });
    assert.equal(rpkOnly.certificate?.chain, undefined);
    assert.equal(dtlsModesText({ port: 0, ...rpkOnly }), 'DTLS 1.2 PSK, RPK (ECDHE_ECDSA)');
    assert.deepEqual(loadDtlsCertificate({}), {});
    assert.equal(dtlsModesText({ port: 0 }), 'DTLS 1.2 PSK');
  });
});

test('bad combinations and files are a ConfigError naming the flag and file, without key bytes', async () => {
  await withPkiFiles(async ({ dir, server, root }) => {
    const rsaKey = join(dir, 'rsa.key');
    await writeFile(
      rsaKey,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const cases: [Parameters<typeof loadDtlsCertificate>[0], RegExp][] = [
      [{ cert: server.pem }, /^--cert needs --key/],
      [{ ca: [root.pem] }, /^--ca needs --key and --cert/],
      [{ key: join(dir, 'missing.key') }, /^--key .*missing\.key: cannot read it \(ENOENT\)/],
      [{ key: server.pem }, /^--key .*server\.pem: is not a private key/],
      [{ key: rsaKey }, /^--key .*rsa\.key: is not a P-256/],
      [{ key: server.key, cert: server.key }, /^--cert .*server\.key: holds no certificate/],
      [{ key: server.key, cert: root.pem }, /^--cert .*root\.pem: is not the certificate of --key/],
      [
        { key: server.key, cert: server.pem, ca: [server.keyDer] },
        /^--ca .*server\.key\.der: certificate 1 is not an X\.509/,
      ],
    ];
    const secret = pki.server.privateKey
      .export({ type: 'pkcs8', format: 'der' })
      .toString('base64')
      .slice(40, 80);
    for (const [o, message] of cases)
      assert.throws(
        () => loadDtlsCertificate(o),
        (e: unknown) => e instanceof ConfigError && message.test(e.message) && !e.message.includes(secret),
        String(message),
      );
  });
});

test('lwm2m server and lwm2m bootstrap start their DTLS port with the certificate; without flags it stays PSK only', async () => {
  await withPkiFiles(async ({ server, root }) => {
    const captured = captureLog('info');
    const running = await runServer(
      localServer({ coapsPort: 0, cert: server.pem, key: server.key, ca: [root.pem] }),
      {
        log: captured.log,
      },
    );
    try {
      const dtls = running.server.config.dtls;
      assert.deepEqual(
        dtls?.certificate?.chain?.map((d) => Buffer.from(d)),
        [pki.server.der],
      );
      assert.deepEqual(
        dtls?.clientTrust?.trustAnchors?.map((d) => Buffer.from(d)),
        [pki.root.der],
      );
      const line = captured.entries().find((e) => e.msg === 'LwM2M server listening (secured)');
      assert.equal(line?.security, 'DTLS 1.2 PSK, RPK, X.509 (ECDHE_ECDSA)');
    } finally {
      await running.stop();
    }
    const plain = await runServer(localServer({ coapsPort: 0 }), { log: captureLog('info').log });
    try {
      assert.equal(plain.server.config.dtls?.certificate, undefined, 'npm start defaults: PSK only');
    } finally {
      await plain.stop();
    }
    const bsLog = captureLog('info');
    const bs = await runBootstrap(
      parseBootstrapArgs([
        '--server-uri',
        'coap://127.0.0.1:5683',
        '--coap-port',
        '0',
        '--coap-address',
        '127.0.0.1',
        '--http-port',
        '0',
        '--http-address',
        '127.0.0.1',
        '--coaps-port',
        '0',
        '--store',
        'memory',
        '--key',
        server.keyDer,
      ]),
      bsLog.log,
    );
    try {
      assert.ok(bs.server.config.dtls?.certificate?.privateKey);
      const line = bsLog.entries().find((e) => e.msg === 'LwM2M Bootstrap-Server listening (secured)');
      assert.equal(line?.security, 'DTLS 1.2 PSK, RPK (ECDHE_ECDSA)');
    } finally {
      await bs.stop();
    }
  });
});
