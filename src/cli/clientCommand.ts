// The `lwm2m client` command (issue 5 item 7): runs a simulated LwM2M device against one server
// (LwM2M Core TS 1.1.1 section 6 registration: NoSec over coap://, or DTLS over coaps:// with PSK
// --psk-identity / --psk, issue 13 item 5, or RPK / X.509 --key / --server-cert / --cert, issue 15:
// clientCertificateFlags.ts) and logs, line by line, what servers do to it.
// SIGINT / SIGTERM de-register and exit. The key is never printed, not even when it is invalid.
import { Command, InvalidArgumentError } from 'commander';
import { ContentFormat } from '../content/ContentFormat.js';
import type { LogLine } from './clientLog.js';
import { logFormatOption } from './cliOptions.js';
import { createLogger, LOG_FORMATS, type LogFormat } from './logger.js';
import { startSimulatedDevice, type SimulatedDeviceOptions } from './simulatedDevice.js';
import { COMMAND_SUMMARIES } from './commandSummaries.js';
import {
  certificateFlagProblem,
  hasCertificateFlags,
  loadClientCertificate,
  loadClientTrustAnchors,
  type CertificateFlags,
} from './clientCertificateFlags.js';

/** `--format` names and their content-format numbers. */
export const FORMAT_NAMES: Readonly<Record<string, number>> = {
  'senml-cbor': ContentFormat.SENML_CBOR,
  'senml-json': ContentFormat.SENML_JSON,
  tlv: ContentFormat.TLV,
  'lwm2m-cbor': ContentFormat.LWM2M_CBOR,
};

function integer(min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer ${min}..${max}`);
    return n;
  };
}

function oneOf(names: readonly string[]): (text: string) => string {
  return (text) => {
    if (!names.includes(text)) throw new InvalidArgumentError(`expected one of ${names.join(', ')}`);
    return text;
  };
}

function serverUri(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError('expected a URI such as coap://127.0.0.1:5683');
  }
  if (url.protocol !== 'coap:' && url.protocol !== 'coaps:')
    throw new InvalidArgumentError('only coap:// (NoSec) and coaps:// (DTLS) servers are supported here');
  if (url.hostname === '') throw new InvalidArgumentError('the server URI needs a host');
  return text;
}

/** Raw option values as commander gives them. */
interface RawOptions extends CertificateFlags {
  endpoint: string;
  server?: string;
  bootstrap?: string;
  state?: string;
  bootstrapPack?: boolean;
  pskIdentity?: string;
  psk?: string;
  localPort: number;
  lifetime: number;
  lwm2m: '1.0' | '1.1' | '1.2';
  queue: boolean;
  format: string;
  interval: number;
  seed?: number;
  logFormat: LogFormat;
}

/** Exit code of a command line whose values do not fit together. */
const USAGE_EXIT_CODE = 2;

/**
 * Why the PSK flags are unusable, or undefined. RFC 4279 5.3: identities up to 128 octets and keys
 * up to 64 octets are what every peer supports. The message never repeats the key.
 */
export function pskFlagProblem(raw: CertificateFlags): string | undefined {
  const secured = [raw.server, raw.bootstrap].some((u) => u?.startsWith('coaps:'));
  const given = raw.pskIdentity !== undefined || raw.psk !== undefined;
  if (!given && hasCertificateFlags(raw)) return undefined; // certificateFlagProblem's turn
  if (!given)
    return secured
      ? 'a coaps:// server needs --psk-identity and --psk (or --key and --server-cert)'
      : undefined;
  if (raw.pskIdentity === undefined || raw.psk === undefined) return '--psk-identity and --psk go together';
  if (!secured) return '--psk-identity/--psk need a coaps:// --server or --bootstrap';
  const idBytes = Buffer.byteLength(raw.pskIdentity, 'utf8');
  if (idBytes < 1 || idBytes > 128) return '--psk-identity must be 1 to 128 bytes of UTF-8';
  if (!/^([0-9a-fA-F]{2}){1,64}$/.test(raw.psk)) return '--psk must be 1 to 64 bytes written in hex';
  return undefined;
}

/** Turns commander's option values into device settings (reading the certificate files; may throw CredentialFileError). */
export function toDeviceOptions(raw: RawOptions): SimulatedDeviceOptions {
  const certificate = loadClientCertificate(raw);
  const trustAnchors = loadClientTrustAnchors(raw);
  return {
    endpoint: raw.endpoint,
    ...(raw.server !== undefined ? { server: raw.server } : {}),
    ...(raw.bootstrap !== undefined ? { bootstrap: raw.bootstrap } : {}),
    ...(raw.state !== undefined ? { statePath: raw.state } : {}),
    ...(raw.bootstrapPack ? { bootstrapPack: true } : {}),
    ...(raw.pskIdentity !== undefined && raw.psk !== undefined
      ? { psk: { identity: raw.pskIdentity, key: Uint8Array.from(Buffer.from(raw.psk, 'hex')) } }
      : {}),
    ...(certificate ? { certificate } : {}),
    ...(trustAnchors.length > 0 ? { trustAnchors } : {}),
    localPort: raw.localPort,
    lifetime: raw.lifetime,
    lwm2mVersion: raw.lwm2m,
    queue: raw.queue,
    format: FORMAT_NAMES[raw.format]!,
    intervalMs: raw.interval,
    ...(raw.seed !== undefined ? { seed: raw.seed } : {}),
  };
}

/** What the command runs; tests replace it to check parsing alone. */
export type ClientRunner = (options: SimulatedDeviceOptions, log: LogLine) => Promise<void>;

/** Runs the device until SIGINT or SIGTERM, then de-registers and exits. */
export const runUntilSignal: ClientRunner = async (options, log) => {
  const device = await startSimulatedDevice(options, log);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping: de-registering');
  await device.stop();
  log('stopped');
  process.exit(0);
};

/** Each line as an info entry of a pino logger (logger.ts) in `format`, to standard output. */
function pinoLines(format: LogFormat): { info: LogLine; error: LogLine } {
  const logger = createLogger({ level: 'info', format });
  return { info: (line) => logger.info(line), error: (line) => logger.error(line) };
}

/** The `client` command for the `lwm2m` program; `log` replaces the pino log (tests). */
export function clientCommand(run: ClientRunner = runUntilSignal, log?: LogLine): Command {
  return new Command('client')
    .description(COMMAND_SUMMARIES.client)
    .requiredOption('--endpoint <name>', 'Endpoint Client Name')
    .option('--server <uri>', 'LwM2M Server URI, coap://HOST:PORT or coaps://HOST:PORT (DTLS)', serverUri)
    .option(
      '--bootstrap <uri>',
      'Bootstrap-Server URI, coap:// or coaps://HOST:PORT (start with only this account)',
      serverUri,
    )
    .option('--psk-identity <id>', 'PSK identity for the coaps:// server(s) (Security Mode 0)')
    .option('--psk <hex>', 'pre-shared key in hex for the coaps:// server(s); never logged')
    .option(
      '--key <file>',
      'our P-256 private key (PEM or DER) for the coaps:// server(s): RPK, or X.509 with --cert',
    )
    .option('--cert <file>', 'our certificate (PEM or DER; a PEM may hold the chain, leaf first): X.509 mode')
    .option(
      '--server-cert <file>',
      "the server's public key (RPK) or, with --cert, its certificate (or its CA with --certificate-usage 2)",
    )
    .option(
      '--certificate-usage <n>',
      'RFC 6698 usage of --server-cert (/0/x/15): 0-3, default 3',
      integer(0, 3),
    )
    .option(
      '--ca <file>',
      "a CA the server's chain may lead to, for certificate usages 0 and 1 (PEM or DER, repeatable)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--state <file>', 'keep the bootstrapped state in this file (a restart does not bootstrap again)')
    .option('--bootstrap-pack', 'bootstrap with a Bootstrap-Pack-Request first (LwM2M 1.2)')
    .option('--local-port <port>', 'local UDP port (0: any)', integer(0, 65535), 0)
    .option('--lifetime <seconds>', 'registration lifetime', integer(1, 0xffffffff), 300)
    .option('--lwm2m <version>', 'LwM2M version: 1.0, 1.1 or 1.2', oneOf(['1.0', '1.1', '1.2']), '1.1')
    .option('--queue', 'queue mode (the device sleeps between exchanges)', false)
    .option(
      '--format <name>',
      `preferred content format: ${Object.keys(FORMAT_NAMES).join(', ')}`,
      oneOf(Object.keys(FORMAT_NAMES)),
      'senml-cbor',
    )
    .option('--interval <ms>', 'simulator step', integer(10, 86_400_000), 5000)
    .option('--seed <n>', 'seed of the simulated values', integer(0, 0xffffffff))
    .option('--log-format <format>', `one of ${LOG_FORMATS.join(', ')}`, logFormatOption, 'pretty')
    .action(async (raw: RawOptions, cmd: Command) => {
      if (raw.server === undefined && raw.bootstrap === undefined)
        cmd.error('error: give --server or --bootstrap');
      if (raw.bootstrapPack && raw.lwm2m !== '1.2') cmd.error('error: --bootstrap-pack needs --lwm2m 1.2');
      const pskProblem = pskFlagProblem(raw) ?? certificateFlagProblem(raw);
      if (pskProblem !== undefined) cmd.error(`error: ${pskProblem}`, { exitCode: USAGE_EXIT_CODE });
      let options: SimulatedDeviceOptions;
      try {
        options = toDeviceOptions(raw);
      } catch (e) {
        // a certificate or key file that cannot be used: named, never shown
        return cmd.error(`error: ${(e as Error).message}`, { exitCode: USAGE_EXIT_CODE });
      }
      const lines = log ? { info: log, error: log } : pinoLines(raw.logFormat);
      try {
        await run(options, lines.info);
      } catch (e) {
        lines.error(`error: ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });
}
