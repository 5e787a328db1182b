// LwM2M Core TS 1.1.1 Appendix E.6: a simulated FirmwareInstaller for the device simulator and
// tests, with its own small package format so integrity failures (result 5) and unsupported
// packages (result 6) can be produced on purpose. The format (all lengths in bytes):
//   "LWFW" | nameLength (1) | name (UTF-8) | versionLength (1) | version (UTF-8) | body |
//   SHA-256 (32) over everything before it.
// A package without the magic, or too short to hold the header and digest, is unsupported; a
// digest that does not match is an integrity failure.
import { createHash } from 'node:crypto';
import type { Clock } from '../../coap/Clock.js';
import type { FirmwareCheck, FirmwareInstaller } from './FirmwareInstaller.js';

const MAGIC = [0x4c, 0x57, 0x46, 0x57]; // "LWFW"
const DIGEST_BYTES = 32;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Contents of a simulated firmware package. */
export interface SimulatedPackage {
  readonly name: string;
  readonly version: string;
  readonly body?: Uint8Array;
}

/** Builds a package in the simulated format (names up to 255 bytes each). */
export function buildSimulatedPackage(p: SimulatedPackage): Uint8Array {
  const name = utf8.encode(p.name);
  const version = utf8.encode(p.version);
  if (name.length > 255 || version.length > 255) throw new RangeError('package name or version too long');
  const body = p.body ?? new Uint8Array(0);
  const head = new Uint8Array([...MAGIC, name.length, ...name, version.length, ...version]);
  const out = new Uint8Array(head.length + body.length + DIGEST_BYTES);
  out.set(head, 0);
  out.set(body, head.length);
  out.set(
    createHash('sha256')
      .update(out.subarray(0, head.length + body.length))
      .digest(),
    head.length + body.length,
  );
  return out;
}

/** Checks a package in the simulated format (see the module comment). */
export function verifySimulatedPackage(pkg: Uint8Array): FirmwareCheck {
  const minimum = MAGIC.length + 2 + DIGEST_BYTES;
  if (pkg.length < minimum || MAGIC.some((b, i) => pkg[i] !== b)) return { result: 'unsupported' };
  const nameEnd = MAGIC.length + 1 + pkg[MAGIC.length]!;
  const versionEnd = nameEnd + 1 + (pkg[nameEnd] ?? 0);
  const end = pkg.length - DIGEST_BYTES;
  if (nameEnd >= end || versionEnd > end) return { result: 'unsupported' };
  const digest = createHash('sha256').update(pkg.subarray(0, end)).digest();
  if (!digest.equals(pkg.subarray(end))) return { result: 'integrity' };
  try {
    return {
      result: 'ok',
      name: fromUtf8.decode(pkg.subarray(MAGIC.length + 1, nameEnd)),
      version: fromUtf8.decode(pkg.subarray(nameEnd + 1, versionEnd)),
    };
  } catch {
    return { result: 'unsupported' };
  }
}

/** Settings of the simulated installer. */
export interface SimulatedInstallerOptions {
  readonly clock: Clock;
  /** How long installing takes on `clock`, ms (default 2000). */
  readonly durationMs?: number;
  /** Accept any non-empty package instead of the simulated format (no name or version then). */
  readonly acceptAny?: boolean;
  /** Makes installation fail (Update Result 8) for packages it returns true for. */
  readonly failWhen?: (pkg: Uint8Array) => boolean;
}

/** Error of a simulated installation that was told to fail. */
export class SimulatedInstallError extends Error {
  readonly code = 'FIRMWARE_INSTALL_FAILED';
}

/** A FirmwareInstaller that verifies the simulated format and "installs" after a delay. */
export function simulatedInstaller(o: SimulatedInstallerOptions): FirmwareInstaller {
  const durationMs = o.durationMs ?? 2000;
  return {
    verify: (pkg) => (o.acceptAny && pkg.length > 0 ? { result: 'ok' } : verifySimulatedPackage(pkg)),
    install: (pkg) =>
      new Promise<void>((resolve, reject) => {
        o.clock.setTimer(durationMs, () =>
          o.failWhen?.(pkg) ? reject(new SimulatedInstallError('simulated installation failure')) : resolve(),
        );
      }),
  };
}
