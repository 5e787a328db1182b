// `lwm2m certs` (issue 15 item 6): a CA, a server and a device certificate that our verifier (and
// the certificate usages of the client) accept for their purposes; files, modes, refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { CommanderError } from 'commander';
import { certsCommand } from '../../src/cli/certsCommand.js';
import { CertificateVerifier } from '../../src/transport/dtls/x509/CertificateVerifier.js';
import { checkServerCertificate } from '../../src/transport/dtls/x509/serverCertificateUsage.js';

async function certs(args: string[]): Promise<{ out: string; error: string; exitCode: number }> {
  let out = '';
  let error = '';
  const cmd = certsCommand((l) => void (out += `${l}\n`))
    .exitOverride()
    .configureOutput({ writeErr: (s) => void (error += s), writeOut: (s) => void (out += s) });
  for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeErr: (s) => void (error += s) });
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return { out, error, exitCode: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, error: error || e.message, exitCode: e.exitCode };
    throw e;
  }
}

test('ca, server and device certificates chain to the CA for their purposes; keys are 0600 and never printed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'certs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const printed = [
    await certs(['ca', '--dir', dir]),
    await certs(['server', '--dir', dir, '--dns', 'lwm2m.example', '--ip', '192.0.2.1']),
    await certs(['device', 'urn:imei:490154203237518', '--dir', dir]),
  ];
  for (const p of printed) {
    assert.equal(p.exitCode, 0, p.error);
    assert.doesNotMatch(p.out, /PRIVATE KEY/);
  }
  const der = (name: string): Buffer => readFileSync(join(dir, `${name}.der`));
  assert.deepEqual(Buffer.from(new X509Certificate(readFileSync(join(dir, 'ca.pem'))).raw), der('ca'));
  for (const key of ['ca.key', 'ca.key.der', 'server.key', 'urn_imei_490154203237518.key'])
    assert.equal(statSync(join(dir, key)).mode & 0o777, 0o600, key);
  assert.equal(
    createPrivateKey(readFileSync(join(dir, 'server.key'))).asymmetricKeyDetails?.namedCurve,
    'prime256v1',
  );

  const verifier = new CertificateVerifier({ trustAnchors: [der('ca')] });
  const device = verifier.verify([der('urn_imei_490154203237518')], 'client');
  assert.deepEqual(device.leaf.fields.commonNames, ['urn:imei:490154203237518']);
  assert.throws(() => verifier.verify([der('urn_imei_490154203237518')], 'server'));
  const rule = { usage: 2 as const, serverCertificate: der('ca') };
  for (const host of ['lwm2m.example', '192.0.2.1'])
    assert.ok(checkServerCertificate([der('server')], { ...rule, host }));
  assert.throws(() => checkServerCertificate([der('server')], { ...rule, host: 'localhost' })); // --dns replaced the default
});

test('existing files are kept unless --force; no CA, bad --days: a message and a non-zero exit', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'certs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const noCa = await certs(['device', 'dev', '--dir', dir]);
  assert.equal(noCa.exitCode, 1);
  assert.match(noCa.error, /no CA in .*lwm2m certs ca/);
  assert.equal((await certs(['ca', '--dir', dir])).exitCode, 0);
  const before = readFileSync(join(dir, 'ca.der'));
  const again = await certs(['ca', '--dir', dir]);
  assert.equal(again.exitCode, 1);
  assert.match(again.error, /already exist.*--force/);
  assert.deepEqual(readFileSync(join(dir, 'ca.der')), before);
  assert.equal((await certs(['ca', '--dir', dir, '--force'])).exitCode, 0);
  assert.notDeepEqual(readFileSync(join(dir, 'ca.der')), before);
  assert.notEqual((await certs(['server', '--dir', dir, '--days', '0'])).exitCode, 0);
});
