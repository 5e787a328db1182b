// IPSO Light Control (object 3311, OMNA registry; IPSO resources 5850 On/Off, 5851 Dimmer, 5852
// On Time, 5805 Cumulative Active Power, 5820 Power Factor, 5706 Colour): a light a server
// switches and dims. On Time and the energy counter are advanced by the simulator (or the
// application) while the light is on; writing On Time 0 restarts it.
import { LIGHT_CONTROL_1_0 } from '../../model/core/lightControl.js';
import type { ObjectModel } from '../../model/ObjectModel.js';
import { declareInstance, type DeclaredInstance, type PlainResource } from '../declareInstance.js';

/** Settings of a Light Control instance. */
export interface LightControlOptions {
  readonly id?: number;
  /** Initially on (default false). */
  readonly on?: boolean;
  /** Dimmer level 0..100 (default 100). */
  readonly dimmer?: number;
  /** Colour, e.g. "#FFE0A0" (default "white"). */
  readonly colour?: string;
  /** Power factor 0..1 (default 0.9). */
  readonly powerFactor?: number;
  readonly model?: ObjectModel;
}

/** A Light Control instance with its counters at zero. */
export function lightControlInstance(o: LightControlOptions = {}): DeclaredInstance {
  const values: Record<number, PlainResource> = {
    5850: o.on ?? false,
    5851: o.dimmer ?? 100,
    5852: 0,
    5805: { type: 'float', value: 0 },
    5820: { type: 'float', value: o.powerFactor ?? 0.9 },
    5706: o.colour ?? 'white',
  };
  return declareInstance(o.model ?? LIGHT_CONTROL_1_0, o.id ?? 0, values);
}
