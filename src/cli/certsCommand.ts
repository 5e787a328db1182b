// `lwm2m certs`: a test PKI for certificate-mode DTLS (issue 15 item 6) without openssl: a CA,
// server certificates (names and addresses as subjectAltName, serverAuth) and device
// certificates (CN = the endpoint name, clientAuth), ECDSA P-256 as RFC 7925 and the LwM2M
// Transport TS ask. Files are PEM and DER (README "Certificates").
import { generateKeyPairSync } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { issueCertificate } from '../transport/dtls/x509/CertificateBuilder.js';
import { COMMAND_SUMMARIES } from './commandSummaries.js';
import { fileNameOf, readCa, writeCertificate } from './certs/certificateFiles.js';

const DAY_MS = 24 * 3600 * 1000;

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 36_500) throw new InvalidArgumentError('must be 1 to 36500 days');
  return n;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface Common {
  dir: string;
  days: number;
  force?: boolean;
}

/** Prints what was written; `print` defaults to stdout. */
export function certsCommand(
  print: (line: string) => void = (l) => void process.stdout.write(`${l}\n`),
): Command {
  const cmd = new Command('certs').description(COMMAND_SUMMARIES.certs);
  const common = (c: Command, defaultDays: number): Command =>
    c
      .option('--dir <dir>', 'directory of the CA and the files written', 'certs')
      .option('--days <n>', 'validity in days', days, defaultDays)
      .option('--force', 'replace existing files');
  /** Runs `make`; an error (existing files, no CA) is a one-line message and exit code 1. */
  const guarded =
    <A extends unknown[]>(make: (...args: A) => void) =>
    (...args: A): void => {
      try {
        make(...args);
      } catch (e) {
        cmd.error(`lwm2m certs: ${e instanceof Error ? e.message : String(e)}`, { exitCode: 1 });
      }
    };
  const report = (what: string, files: string[]): void => {
    print(`${what}:`);
    for (const f of files) print(`  ${f}`);
  };

  common(cmd.command('ca').description('make a CA (ca.pem, ca.key) that signs the others'), 3650)
    .option('--cn <name>', 'the CA common name', 'LwM2M test CA')
    .action(
      guarded((o: Common & { cn: string }) => {
        const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const der = issueCertificate({
          subject: { commonName: o.cn },
          publicKey: keys.publicKey,
          selfKey: keys.privateKey,
          ca: { pathLength: 0 },
          notAfter: Date.now() + o.days * DAY_MS,
        });
        report(`CA "${o.cn}"`, writeCertificate(o.dir, 'ca', der, keys.privateKey, o.force === true));
      }),
    );

  common(cmd.command('server').description('make a server certificate signed by the CA'), 365)
    .option('--name <name>', 'base name of the files', 'server')
    .option('--cn <name>', 'common name', 'localhost')
    .option('--dns <name>', 'a DNS name in subjectAltName (repeatable; default localhost)', collect)
    .option(
      '--ip <address>',
      'an IP address in subjectAltName (repeatable; default 127.0.0.1 and ::1)',
      collect,
    )
    .action(
      guarded((o: Common & { name: string; cn: string; dns?: string[]; ip?: string[] }) => {
        const ca = readCa(o.dir);
        const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const der = issueCertificate({
          subject: { commonName: o.cn },
          publicKey: keys.publicKey,
          issuer: ca,
          extKeyUsage: ['serverAuth'],
          altNames: { dns: o.dns ?? ['localhost'], ip: o.ip ?? ['127.0.0.1', '::1'] },
          notAfter: Date.now() + o.days * DAY_MS,
        });
        report(
          `server certificate "${o.cn}"`,
          writeCertificate(o.dir, fileNameOf(o.name), der, keys.privateKey, o.force === true),
        );
      }),
    );

  common(
    cmd.command('device').description('make a device certificate (CN = endpoint name) signed by the CA'),
    365,
  )
    .argument('<endpoint>', 'the endpoint client name')
    .action(
      guarded((endpoint: string, o: Common) => {
        const ca = readCa(o.dir);
        const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const der = issueCertificate({
          subject: { commonName: endpoint },
          publicKey: keys.publicKey,
          issuer: ca,
          extKeyUsage: ['clientAuth'],
          notAfter: Date.now() + o.days * DAY_MS,
        });
        report(
          `device certificate "${endpoint}"`,
          writeCertificate(o.dir, fileNameOf(endpoint), der, keys.privateKey, o.force === true),
        );
      }),
    );
  return cmd;
}
