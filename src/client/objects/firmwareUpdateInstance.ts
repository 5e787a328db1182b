// LwM2M Core TS 1.1.1 Appendix E.6: the Firmware Update (object 5) instance. Push: a Write of
// Package (0), after block-wise reassembly, is verified and leaves the state Downloaded. Pull: a
// Write of Package URI (1) answers 2.04 at once and downloads in the background (coap, http,
// https). Update (2) installs through the application's FirmwareInstaller; Cancel (10) aborts.
// Errors of the process show in Update Result (5), never in the Write's response (E.6.1); only
// triggers the state diagram does not have are refused (4.05). An empty Package (or the single
// byte 0x00, "NULL") or an empty Package URI resets the state machine to Idle.
import { systemClock, type Clock } from '../../coap/Clock.js';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../../lwm2m/errors.js';
import type { ResourceNode } from '../../lwm2m/Lwm2mNode.js';
import { FIRMWARE_UPDATE_1_1 } from '../../model/core/firmwareUpdate.js';
import type { ObjectModel } from '../../model/ObjectModel.js';
import { plainToResource, type PlainValue } from '../declareInstance.js';
import type { FirmwareCheck, FirmwareInstaller } from '../firmware/FirmwareInstaller.js';
import {
  FirmwareUpdateStateMachine,
  FirmwareState,
  type DownloadFailure,
} from '../firmware/FirmwareUpdateStateMachine.js';
import { FirmwareDownloadError, PackageDownloader, parsePackageUri } from '../firmware/PackageDownloader.js';
import { simulatedInstaller } from '../firmware/simulatedInstaller.js';
import type { InstanceChangeListener, ObjectInstance, WriteMode } from '../ObjectInstance.js';

/** Settings of the Firmware Update instance (all optional). */
export interface FirmwareUpdateOptions {
  /** Object version (default 1.1; use FIRMWARE_UPDATE_1_0 for an LwM2M 1.0 client). */
  readonly model?: ObjectModel;
  /** Default: the simulated installer (simulatedInstaller.ts) on `clock`. */
  readonly installer?: FirmwareInstaller;
  /** Fetches Package URIs (default: a PackageDownloader on `clock`). */
  readonly downloader?: Pick<PackageDownloader, 'download'>;
  readonly clock?: Clock;
  /** Wall-clock time of clock time 0, for Last State Change Time (default: now - clock.now()). */
  readonly epochMs?: number;
  /** Largest pushed package, bytes (default 16 MiB); larger ones end with result 2. */
  readonly maxPackageBytes?: number;
  /** Resource 8: protocols for pull (default [0, 2, 3]: CoAP, HTTP 1.1, HTTPS 1.1). */
  readonly protocols?: readonly number[];
  /** Resource 9: 0 pull only, 1 push only, 2 both (default 2). */
  readonly deliveryMethod?: 0 | 1 | 2;
  /** Called after a successful installation with the package's name and version, when known. */
  readonly onUpdated?: (info: { name?: string; version?: string }) => void;
}

/** Object 5 instance 0 with the whole E.6.1 state machine. */
export class FirmwareUpdateInstance implements ObjectInstance {
  readonly id = 0;
  readonly model: ObjectModel;
  /** The state machine (resources 3, 5 and 12). */
  readonly machine: FirmwareUpdateStateMachine;
  private readonly installer: FirmwareInstaller;
  private readonly downloader: Pick<PackageDownloader, 'download'>;
  private listener: InstanceChangeListener | undefined;
  private uri = '';
  private pkg: Uint8Array | undefined;
  private info: { name?: string; version?: string } = {};
  private download: AbortController | undefined;
  private readonly settings = new Map<number, ResourceNode>();
  /** Settles when the last started download or installation ended (for tests and shutdown). */
  idle: Promise<void> = Promise.resolve();

  constructor(private readonly o: FirmwareUpdateOptions = {}) {
    const clock = o.clock ?? systemClock;
    this.model = o.model ?? FIRMWARE_UPDATE_1_1;
    this.machine = new FirmwareUpdateStateMachine(clock, o.epochMs ?? Date.now() - clock.now());
    this.installer = o.installer ?? simulatedInstaller({ clock });
    this.downloader = o.downloader ?? new PackageDownloader({ clock, maxBytes: o.maxPackageBytes });
    this.machine.onChange((ids) => {
      for (const id of ids) if (this.model.resources.has(id)) this.listener?.(id);
    });
  }

  resourceIds(): readonly number[] {
    const ids = [1, 3, 5, 6, 7, 8, 9, 12, ...this.settings.keys()];
    return ids.filter((id) => this.model.resources.has(id)).sort((a, b) => a - b);
  }

  executableIds(): readonly number[] {
    return [2, 10].filter((id) => this.model.resources.has(id));
  }

  read(resourceId: number): ResourceNode | undefined {
    const rm = this.model.resources.get(resourceId);
    if (!rm) return undefined;
    const value = this.valueOf(resourceId);
    if (value === undefined) return this.settings.get(resourceId);
    return plainToResource(rm, value);
  }

  write(node: ResourceNode, _mode: WriteMode): void {
    const rm = this.model.resources.get(node.id);
    if (!rm || !rm.operations.includes('W'))
      throw new MethodNotAllowedError(`resource 5/0/${node.id} is not writable`);
    if (node.kind !== 'resource') throw new BadRequestError(`resource 5/0/${node.id} is single-instance`);
    const v = node.value.value;
    if (node.id === 0 && v instanceof Uint8Array) return this.writePackage(v);
    if (node.id === 1 && typeof v === 'string') return this.writeUri(v);
    if (node.id === 0 || node.id === 1) throw new BadRequestError(`wrong value type for 5/0/${node.id}`);
    this.settings.set(node.id, node); // Severity, Maximum Defer Period, Automatic Upgrade: stored only
  }

  execute(resourceId: number, _args: string | undefined): void {
    if (resourceId === 2) return this.update();
    if (resourceId === 10 && this.model.resources.has(10)) {
      this.machine.cancel();
      this.download?.abort();
      this.pkg = undefined;
      return;
    }
    throw new NotFoundError(`resource 5/0/${resourceId} is not executable`);
  }

  attach(listener: InstanceChangeListener): void {
    this.listener = listener;
  }

  dispose(): void {
    this.download?.abort();
  }

  private valueOf(id: number): PlainValue | readonly PlainValue[] | undefined {
    switch (id) {
      case 1:
        return this.uri;
      case 3:
        return this.machine.state;
      case 5:
        return this.machine.result;
      case 6:
        return this.info.name ?? '';
      case 7:
        return this.info.version ?? '';
      case 8:
        return this.o.protocols ?? [0, 2, 3];
      case 9:
        return this.o.deliveryMethod ?? 2;
      case 12:
        return this.machine.lastStateChange;
      default:
        return undefined;
    }
  }

  /** E.6.1 push: Idle -> Downloading -> Downloaded (or back to Idle with 2, 5 or 6). */
  private writePackage(bytes: Uint8Array): void {
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0)) return this.resetAll();
    this.machine.startDownload();
    this.setInfo({});
    const max = this.o.maxPackageBytes ?? 16 * 1024 * 1024;
    if (bytes.length > max) return this.machine.downloadFailed(2);
    this.accept(bytes);
  }

  /** E.6.1 pull: the Write succeeds; the outcome shows in State and Update Result. */
  private writeUri(uri: string): void {
    if (uri === '') return this.resetAll();
    if (this.machine.state !== FirmwareState.IDLE)
      throw new MethodNotAllowedError('Package URI can only be written in state Idle');
    this.uri = uri;
    this.setInfo({});
    try {
      parsePackageUri(uri);
    } catch (e) {
      if (e instanceof FirmwareDownloadError) return this.machine.downloadFailed(e.result);
      throw e;
    }
    this.machine.startDownload();
    const ctl = (this.download = new AbortController());
    this.idle = this.downloader
      .download(uri, ctl.signal)
      .then(
        (bytes) => {
          if (ctl.signal.aborted) return;
          this.download = undefined;
          this.accept(bytes);
        },
        (e: unknown) => {
          if (ctl.signal.aborted) return;
          this.download = undefined;
          this.machine.downloadFailed(e instanceof FirmwareDownloadError ? e.result : 4);
        },
      )
      .catch(() => undefined); // listeners that throw must not become unhandled rejections
  }

  /** A whole package is here (state Downloading): verify it, then Downloaded or Idle. */
  private accept(bytes: Uint8Array): void {
    let check: FirmwareCheck;
    try {
      check = this.installer.verify(bytes);
    } catch {
      check = { result: 'unsupported' };
    }
    if (check.result !== 'ok') {
      const failure: DownloadFailure = check.result === 'integrity' ? 5 : 6;
      return this.machine.downloadFailed(failure);
    }
    this.pkg = bytes;
    this.setInfo({
      ...(check.name !== undefined ? { name: check.name } : {}),
      ...(check.version !== undefined ? { version: check.version } : {}),
    });
    this.machine.downloaded();
  }

  /** E.6.1: Update only in Downloaded; Updating -> Idle (1) or back to Downloaded (8). */
  private update(): void {
    this.machine.startUpdate();
    const pkg = this.pkg!;
    let installing: Promise<void>;
    try {
      installing = this.installer.install(pkg);
    } catch (e) {
      installing = Promise.reject(e);
    }
    this.idle = installing
      .then(
        () => {
          this.pkg = undefined;
          this.machine.updateSucceeded();
          this.o.onUpdated?.(this.info);
        },
        () => this.machine.updateFailed(),
      )
      .catch(() => undefined); // an application callback that throws must not become unhandled
  }

  private resetAll(): void {
    this.machine.reset();
    this.download?.abort();
    this.download = undefined;
    this.pkg = undefined;
    if (this.uri !== '') {
      this.uri = '';
      this.listener?.(1);
    }
  }

  private setInfo(info: { name?: string; version?: string }): void {
    const changed = info.name !== this.info.name || info.version !== this.info.version;
    this.info = info;
    if (changed) for (const id of [6, 7]) if (this.model.resources.has(id)) this.listener?.(id);
  }
}

/** The Firmware Update instance (id 0). */
export function firmwareUpdateInstance(o: FirmwareUpdateOptions = {}): FirmwareUpdateInstance {
  return new FirmwareUpdateInstance(o);
}
