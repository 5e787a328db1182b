// Device simulator (issue 5 item 6): gives a client's standard objects live, plausible values on
// an injected clock: Battery Level (3/0/9) drains and is full again after a reboot, Current Time
// (3/0/13) ticks, Location (6/0/0, 6/0/1, 6/0/5) walks, every Temperature instance
// (3303/x/5700 with 5601/5602) drifts, Radio Signal Strength (4/0/2) wanders, a Light Control
// (3311/x) that is on counts On Time (5852) and energy (5805). Objects or
// resources the client does not serve are left alone. Values go through set(), so observers
// get notified.
import { systemClock, type Clock, type RandomSource, type TimerHandle } from '../../coap/Clock.js';
import type { PlainResource } from '../declareInstance.js';
import type { ObjectTree } from '../ObjectTree.js';
import { drainBattery, driftTemperature, walkLocation, wanderSignal } from './simulationSteps.js';

/** What the simulator drives: an Lwm2mClient fits. */
export interface SimulationTarget {
  readonly tree: ObjectTree;
  set(path: string, value: PlainResource): void;
}

/** Settings of a simulation (all optional). */
export interface SimulationOptions {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  /** Time between steps, ms (default 5000). */
  readonly intervalMs?: number;
  /** Wall-clock time of clock time 0, ms since 1970 (default: now - clock.now()). */
  readonly epochMs?: number;
  /** Battery drain, % per minute (default 0.5). */
  readonly batteryDrainPerMinute?: number;
  /** Largest location step per axis, degrees (default 0.0002, about 20 m). */
  readonly locationStepDeg?: number;
  /** Temperature the sensors drift around, Cel (default: each sensor's first reading). */
  readonly meanTemperature?: number;
  /** Power of a Light Control (3311) instance at full dimmer level, W (default 10). */
  readonly lightPowerW?: number;
}

/** A running simulation. */
export interface Simulation {
  /** Runs one step now (also what each timer tick does). */
  step(): void;
  /** A device reboot: the battery is full again. */
  reboot(): void;
  /** Stops the timer. */
  stop(): void;
}

const float = (value: number): PlainResource => ({ type: 'float', value });

/** Starts moving the target's values every `intervalMs` on `clock`; returns the handle to stop it. */
export function startSimulation(target: SimulationTarget, o: SimulationOptions = {}): Simulation {
  const clock = o.clock ?? systemClock;
  const random = o.random ?? Math.random;
  const intervalMs = o.intervalMs ?? 5000;
  const epochMs = o.epochMs ?? Date.now() - clock.now();
  const tree = target.tree;
  const has = (oid: number, iid: number, rid: number): boolean =>
    tree.get(oid, iid)?.model.resources.has(rid) === true;
  const num = (oid: number, iid: number, rid: number): number | undefined => {
    const r = tree.get(oid, iid)?.read(rid);
    const v = r?.kind === 'resource' ? r.value.value : undefined;
    return typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined;
  };
  let battery = num(3, 0, 9) ?? 100;
  const means = new Map<number, number>();
  const onTime = new Map<number, number>();
  let last = clock.now();
  let timer: TimerHandle | undefined;
  let stopped = false;

  const step = (): void => {
    const now = clock.now();
    const elapsed = now - last;
    last = now;
    if (has(3, 0, 9)) {
      const before = Math.round(battery);
      battery = drainBattery(battery, elapsed, o.batteryDrainPerMinute ?? 0.5);
      if (Math.round(battery) !== before || num(3, 0, 9) === undefined)
        target.set('/3/0/9', Math.round(battery));
    }
    if (has(3, 0, 13)) target.set('/3/0/13', new Date(Math.floor((epochMs + now) / 1000) * 1000));
    const lat = num(6, 0, 0);
    const lon = num(6, 0, 1);
    if (lat !== undefined && lon !== undefined) {
      const next = walkLocation({ latitude: lat, longitude: lon }, o.locationStepDeg ?? 0.0002, random);
      target.set('/6/0/0', float(next.latitude));
      target.set('/6/0/1', float(next.longitude));
      if (has(6, 0, 5)) target.set('/6/0/5', new Date(Math.floor((epochMs + now) / 1000) * 1000));
    }
    for (const iid of tree.instanceIds(3303)) {
      const value = num(3303, iid, 5700);
      if (value === undefined) continue;
      if (!means.has(iid)) means.set(iid, o.meanTemperature ?? value);
      const next = driftTemperature(value, means.get(iid)!, random);
      target.set(`/3303/${iid}/5700`, float(next));
      const min = num(3303, iid, 5601);
      const max = num(3303, iid, 5602);
      if (has(3303, iid, 5601) && (min === undefined || next < min))
        target.set(`/3303/${iid}/5601`, float(next));
      if (has(3303, iid, 5602) && (max === undefined || next > max))
        target.set(`/3303/${iid}/5602`, float(next));
    }
    for (const iid of tree.instanceIds(3311)) {
      const on = tree.get(3311, iid)?.read(5850);
      if (on?.kind !== 'resource' || on.value.value !== true) continue;
      const level = (num(3311, iid, 5851) ?? 100) / 100;
      // Fractions of a second are kept here; a server's write of On Time (e.g. 0) restarts the count.
      const shown = num(3311, iid, 5852) ?? 0;
      const kept = onTime.get(iid);
      const seconds = (kept !== undefined && Math.floor(kept) === shown ? kept : shown) + elapsed / 1000;
      onTime.set(iid, seconds);
      const wh = (num(3311, iid, 5805) ?? 0) + ((o.lightPowerW ?? 10) * level * elapsed) / 3_600_000;
      if (has(3311, iid, 5852) && Math.floor(seconds) !== shown)
        target.set(`/3311/${iid}/5852`, Math.floor(seconds));
      if (has(3311, iid, 5805)) target.set(`/3311/${iid}/5805`, float(Math.round(wh * 1e6) / 1e6));
    }
    const signal = num(4, 0, 2);
    if (signal !== undefined) target.set('/4/0/2', wanderSignal(signal, random));
  };

  const schedule = (): void => {
    timer = clock.setTimer(intervalMs, () => {
      if (stopped) return;
      step();
      schedule();
    });
  };
  schedule();

  return {
    step,
    reboot() {
      battery = 100;
      if (has(3, 0, 9)) target.set('/3/0/9', 100);
    },
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
