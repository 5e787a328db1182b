// IPSO Temperature (object 3303, OMNA registry; IPSO Smart Objects 5700/5601/5602/5605): a
// temperature sensor instance that tracks the lowest and highest values measured since the last
// Reset Min and Max Measured Values (5605).
import { TEMPERATURE_1_1 } from '../../model/core/temperature.js';
import type { ObjectModel } from '../../model/ObjectModel.js';
import type { ObjectInstance } from '../ObjectInstance.js';
import { declareInstance, type DeclaredInstance, type PlainResource } from '../declareInstance.js';

/** Settings of a Temperature instance. */
export interface TemperatureOptions {
  readonly id?: number;
  /** First reading (default 20.0). */
  readonly value?: number;
  /** Sensor Units (default "Cel"). */
  readonly units?: string;
  /** Min and Max Range Value (5603, 5604) of the sensor, when known. */
  readonly range?: readonly [number, number];
  readonly model?: ObjectModel;
}

/** A Temperature instance plus the call that records a new reading. */
export interface TemperatureSensor {
  readonly instance: DeclaredInstance;
  /** Sets Sensor Value (5700) and widens Min/Max Measured (5601/5602); observers get notified. */
  record(value: number): void;
}

/** The numeric value of a single resource of `inst`, or undefined. */
export function numberAt(inst: ObjectInstance, resourceId: number): number | undefined {
  const r = inst.read(resourceId);
  const v = r?.kind === 'resource' ? r.value.value : undefined;
  return typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined;
}

const float = (value: number): PlainResource => ({ type: 'float', value });

/** A Temperature instance whose 5605 resets the measured extremes to the current value. */
export function temperatureSensor(o: TemperatureOptions = {}): TemperatureSensor {
  const first = o.value ?? 20;
  const values: Record<number, PlainResource> = {
    5700: float(first),
    5601: float(first),
    5602: float(first),
    5701: o.units ?? 'Cel',
  };
  if (o.range) {
    values[5603] = float(o.range[0]);
    values[5604] = float(o.range[1]);
  }
  const inst: DeclaredInstance = declareInstance(o.model ?? TEMPERATURE_1_1, o.id ?? 0, values, {
    execute: {
      5605: () => {
        const current = numberAt(inst, 5700) ?? first;
        inst.set(5601, float(current));
        inst.set(5602, float(current));
      },
    },
  });
  return {
    instance: inst,
    record(value) {
      inst.set(5700, float(value));
      if (value < (numberAt(inst, 5601) ?? Infinity)) inst.set(5601, float(value));
      if (value > (numberAt(inst, 5602) ?? -Infinity)) inst.set(5602, float(value));
    },
  };
}

/** The Temperature instance alone (see temperatureSensor for recording readings). */
export function temperatureInstance(o: TemperatureOptions = {}): DeclaredInstance {
  return temperatureSensor(o).instance;
}
