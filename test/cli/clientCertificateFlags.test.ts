// Issue 15 item 4, CLI: `lwm2m client --key K --server-cert S [--cert C [--certificate-usage N]]`
// gives the coaps:// accounts RPK (mode 1) or X.509 (mode 2) credentials from PEM or DER files;
// flags that do not fit together, and files that cannot be used, exit 2 naming the flag and file
// without key bytes. The options reach the device as ClientCertificateConfig (and from there the
// Security object: test/client/certificateCredentials.test.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { clientCommand } from '../../src/cli/clientCommand.js';
import { certificatePaths, writeCertificate } from '../../src/cli/certs/certificateFiles.js';
import type { SimulatedDeviceOptions } from '../../src/cli/simulatedDevice.js';
import { testPki } from '../transport/dtls/x509/testPki.js';

const pki = testPki();

async function parse(
  args: string[],
): Promise<{ options?: SimulatedDeviceOptions; error: string; exitCode?: number }> {
  let options: SimulatedDeviceOptions | undefined;
  let error = '';
  const cmd = clientCommand(
    async (o) => void (options = o),
    () => undefined,
  )
    .exitOverride()
    .configureOutput({ writeErr: (s) => void (error += s), writeOut: () => undefined });
  try {
    await cmd.parseAsync(args, { from: 'user' });
  } catch (e) {
    return { error, ...(e instanceof CommanderError ? { exitCode: e.exitCode } : {}) };
  }
  return options ? { options, error } : { error };
}

function withFiles(
  fn: (p: {
    device: ReturnType<typeof certificatePaths>;
    server: ReturnType<typeof certificatePaths>;
    root: ReturnType<typeof certificatePaths>;
    serverPub: string;
    dir: string;
  }) => Promise<void>,
) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwm2m-clientcert-'));
    try {
      writeCertificate(dir, 'device', pki.device.der, pki.device.privateKey, false);
      writeCertificate(dir, 'server', pki.server.der, pki.server.privateKey, false);
      writeCertificate(dir, 'root', pki.root.der, pki.root.privateKey, false);
      const serverPub = join(dir, 'server.pub.pem');
      writeFileSync(serverPub, pki.server.publicKey.export({ type: 'spki', format: 'pem' }));
      await fn({
        device: certificatePaths(dir, 'device'),
        server: certificatePaths(dir, 'server'),
        root: certificatePaths(dir, 'root'),
        serverPub,
        dir,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const base = ['--endpoint', 'urn:imei:490154203237518', '--server', 'coaps://127.0.0.1:5684'];

describe('lwm2m client certificate flags', () => {
  test(
    '--key with --server-cert (a public key or a certificate) makes RPK credentials',
    withFiles(async ({ device, serverPub, server }) => {
      for (const serverCert of [serverPub, server.der]) {
        const { options, error } = await parse([...base, '--key', device.key, '--server-cert', serverCert]);
        assert.equal(error, '');
        const c = options?.certificate;
        assert.ok(c);
        assert.equal(c.chain, undefined);
        assert.deepEqual(
          Buffer.from(c.serverKey),
          pki.server.publicKey.export({ type: 'spki', format: 'der' }),
        );
        assert.equal(options?.psk, undefined);
      }
    }),
  );

  test(
    '--cert adds our certificate: X.509 credentials with the server certificate or CA and the usage',
    withFiles(async ({ device, root }) => {
      const { options } = await parse([
        ...base,
        '--key',
        device.keyDer,
        '--cert',
        device.der,
        '--server-cert',
        root.pem,
        '--certificate-usage',
        '2',
      ]);
      const c = options?.certificate;
      assert.deepEqual(
        c?.chain?.map((d) => Buffer.from(d)),
        [pki.device.der],
      );
      assert.deepEqual(Buffer.from(c!.serverKey), pki.root.der);
      assert.equal(c?.certificateUsage, 2);
      assert.equal(options?.trustAnchors, undefined);
      const withCa = await parse([
        ...base,
        '--key',
        device.key,
        '--cert',
        device.pem,
        '--server-cert',
        root.der,
        '--certificate-usage',
        '0',
        '--ca',
        root.pem,
        '--ca',
        root.der,
      ]);
      assert.deepEqual(
        withCa.options?.trustAnchors?.map((d) => Buffer.from(d)),
        [pki.root.der, pki.root.der],
      );
      assert.equal(withCa.options?.certificate?.certificateUsage, 0);
    }),
  );

  test(
    'flags that do not fit together or unusable files exit 2 naming the flag, never key bytes',
    withFiles(async ({ device, server, serverPub, dir }) => {
      const p384 = join(dir, 'p384.key');
      writeFileSync(
        p384,
        generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({
          type: 'pkcs8',
          format: 'pem',
        }),
      );
      const cases: [string[], RegExp][] = [
        [[...base, '--key', device.key], /--key needs --server-cert/],
        [[...base, '--server-cert', serverPub], /need --key/],
        [
          [...base, '--key', device.key, '--server-cert', serverPub, '--psk-identity', 'a', '--psk', '00'],
          /not both/,
        ],
        [
          [
            '--endpoint',
            'x',
            '--server',
            'coap://127.0.0.1:5683',
            '--key',
            device.key,
            '--server-cert',
            serverPub,
          ],
          /need a coaps:\/\//,
        ],
        [
          [...base, '--key', device.key, '--server-cert', serverPub, '--certificate-usage', '2'],
          /--certificate-usage needs --cert/,
        ],
        [[...base, '--key', p384, '--server-cert', serverPub], /--key .*p384\.key: is not a P-256/],
        [
          [...base, '--key', device.key, '--server-cert', device.key],
          /--server-cert .*device\.key: is a private key/,
        ],
        [[...base, '--key', device.key, '--server-cert', serverPub, '--ca', server.pem], /--ca needs --cert/],
        [
          [
            ...base,
            '--key',
            device.key,
            '--cert',
            device.pem,
            '--server-cert',
            server.pem,
            '--ca',
            device.key,
          ],
          /--ca .*device\.key: holds no certificate/,
        ],
        [
          [...base, '--key', device.key, '--cert', server.pem, '--server-cert', server.pem],
          /--cert .*server\.pem: is not the certificate of --key/,
        ],
        [
          [...base, '--key', device.key, '--cert', device.pem, '--server-cert', serverPub],
          /--server-cert .*: holds no certificate/,
        ],
      ];
      const secret = pki.device.privateKey
        .export({ type: 'pkcs8', format: 'der' })
        .toString('base64')
        .slice(40, 80);
      for (const [args, message] of cases) {
        const r = await parse(args);
        assert.equal(r.options, undefined, args.join(' '));
        assert.equal(r.exitCode, 2, args.join(' '));
        assert.match(r.error, message, args.join(' '));
        assert.ok(!r.error.includes(secret));
      }
    }),
  );
});
