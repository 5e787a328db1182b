// LwM2M Core TS 1.1.1 Appendix E.4: the Device (object 3) instance: identity, Reboot (4) and
// Factory Reset (5) as callbacks, Error Code (11) list with Reset Error Code (12), Current Time
// (13) read live from a wall clock, Battery Level (9) and Supported Binding and Modes (16).
import { DEVICE_1_1 } from '../../model/core/device.js';
import type { ObjectModel } from '../../model/ObjectModel.js';
import { declareInstance, type DeclaredInstance, type PlainResource } from '../declareInstance.js';

/** Settings of the Device instance. */
export interface DeviceOptions {
  readonly manufacturer?: string;
  readonly modelNumber?: string;
  readonly serialNumber?: string;
  readonly firmwareVersion?: string;
  /** Battery level 0..100. */
  readonly batteryLevel?: number;
  /** Supported Binding and Modes (default "U"). */
  readonly bindings?: string;
  readonly deviceType?: string;
  readonly utcOffset?: string;
  readonly timezone?: string;
  /** Wall clock for Current Time (default: the system time). */
  readonly now?: () => Date;
  readonly onReboot?: () => void;
  readonly onFactoryReset?: () => void;
  readonly model?: ObjectModel;
}

/** The Device instance (id 0). Error codes start as [0] "no error"; set 11 to report others. */
export function deviceInstance(o: DeviceOptions = {}): DeclaredInstance {
  const now = o.now ?? (() => new Date());
  // A server writing Current Time sets the device clock: kept as an offset so the value stays live.
  let offsetMs = 0;
  const currentTime = (): Date => new Date(Math.floor((now().getTime() + offsetMs) / 1000) * 1000);
  const values: Record<number, PlainResource> = {
    11: [0],
    13: currentTime,
    16: o.bindings ?? 'U',
  };
  const optional: [number, string | number | undefined][] = [
    [0, o.manufacturer],
    [1, o.modelNumber],
    [2, o.serialNumber],
    [3, o.firmwareVersion],
    [9, o.batteryLevel],
    [14, o.utcOffset],
    [15, o.timezone],
    [17, o.deviceType],
  ];
  for (const [id, v] of optional) if (v !== undefined) values[id] = v;
  const inst: DeclaredInstance = declareInstance(o.model ?? DEVICE_1_1, 0, values, {
    onWrite: (node) => {
      if (node.id !== 13 || node.kind !== 'resource' || node.value.type !== 'time') return;
      offsetMs = node.value.value.getTime() - now().getTime();
      inst.set(13, currentTime);
    },
    execute: {
      4: () => o.onReboot?.(),
      5: () => o.onFactoryReset?.(),
      12: () => inst.set(11, [0]),
    },
  });
  return inst;
}
