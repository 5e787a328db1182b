// Device simulator (issue 5 item 6): pure steps that move simulated sensor values plausibly; each
// takes the previous value, the elapsed time and a random source. Units follow the objects:
// Device Battery Level 3/0/9 (%), Location 6/0/0-1 (degrees), Temperature 3303/x/5700 (Cel),
// Connectivity Monitoring Radio Signal Strength 4/0/2 (dBm).
import type { RandomSource } from '../../coap/Clock.js';

/** Battery level after `elapsedMs` at `perMinute` %/min; an empty battery is swapped (100). */
export function drainBattery(level: number, elapsedMs: number, perMinute: number): number {
  const next = level - (perMinute * elapsedMs) / 60_000;
  return next <= 0 ? 100 : next;
}

/** One step of a random walk of up to `stepDeg` degrees per axis; latitude clamped, longitude wrapped. */
export function walkLocation(
  at: { latitude: number; longitude: number },
  stepDeg: number,
  random: RandomSource,
): { latitude: number; longitude: number } {
  const latitude = Math.max(-90, Math.min(90, at.latitude + (random() * 2 - 1) * stepDeg));
  let longitude = at.longitude + (random() * 2 - 1) * stepDeg;
  if (longitude > 180) longitude -= 360;
  if (longitude < -180) longitude += 360;
  return { latitude: round(latitude, 6), longitude: round(longitude, 6) };
}

/** Temperature drifting around `mean`: pulled back 5 % of the gap per step plus noise of ±0.25 Cel. */
export function driftTemperature(value: number, mean: number, random: RandomSource): number {
  return round(value + (mean - value) * 0.05 + (random() - 0.5) * 0.5, 2);
}

/** Signal strength wandering by up to ±2 dBm per step, kept within -110..-50 dBm. */
export function wanderSignal(dbm: number, random: RandomSource): number {
  return Math.max(-110, Math.min(-50, Math.round(dbm + (random() * 4 - 2))));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
