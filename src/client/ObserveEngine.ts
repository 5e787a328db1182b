// LwM2M Core TS 1.1.1 sections 5.5 (Observe, Observe-Composite) and 5.1.2 (notification
// attributes): keeps the client's observations, re-evaluates them when the tree changes and on
// their epmax/pmax timers, and delivers notifications through a sink. While the observing server
// is offline or asleep, notifications are stored when its Server object says so (resource 6,
// "Notification Storing When Disabled or Offline") and flushed when it is back (1.1, 6.5 queue mode).
// Composite observations use the attributes of their first path for pmin/pmax/epmin/epmax/con and
// each path's own attributes for its value conditions.
import type { Attributes } from '../lwm2m/attributes.js';
import type { Lwm2mNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { Clock, TimerHandle } from '../coap/Clock.js';
import { epminDelay, pmaxDelay, shouldNotify, valueTriggers } from './shouldNotify.js';

/** The content of a notification: one node, or nodes at paths for a composite observation. */
export type ObservedContent = Lwm2mNode | readonly PathNode[];

/** One observation as the DM handler registers it. */
export interface ObservationSpec {
  /** Unique key (peer and token). */
  readonly key: string;
  /** Short Server ID of the observing server (0 when there is no server account). */
  readonly ssid: number;
  readonly paths: readonly Lwm2mPath[];
  readonly composite: boolean;
  /** Sends one notification on the CoAP observation. */
  readonly send: (content: ObservedContent, confirmable: boolean) => void;
  /** Ends the CoAP observation because an observed node no longer exists (4.04, RFC 7641 3.2). */
  readonly gone?: () => void;
}

/** What the engine asks about servers and the tree. */
export interface ObserveEnginePorts {
  readonly clock: Clock;
  /** Reads a node; throws (e.g. NotFoundError) when the path is gone. */
  read(path: Lwm2mPath): Lwm2mNode;
  /** Attributes in force for `path` and server `ssid` (inheritance and defaults applied). */
  attributes(ssid: number, path: Lwm2mPath): Attributes;
  /** True when notifications can go to the server now. */
  isReachable(ssid: number): boolean;
  /** True when notifications to an unreachable server are to be stored (Server resource 6). */
  storesWhenOffline(ssid: number): boolean;
  /** Asks the client to wake up / reconnect to a server that has stored notifications. */
  wake(ssid: number): void;
}

/** Notifications stored per observation when hqmax is not set. */
export const DEFAULT_STORED_NOTIFICATIONS = 32;

interface Entry {
  readonly spec: ObservationSpec;
  last: (Lwm2mNode | undefined)[];
  lastSentAt: number;
  lastEvalAt: number;
  sendTimer?: TimerHandle;
  evalTimer?: TimerHandle;
  pmaxTimer?: TimerHandle;
  epmaxTimer?: TimerHandle;
  stored: ObservedContent[];
}

/** Decides and schedules notifications of every observation. */
export class ObserveEngine {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ports: ObserveEnginePorts) {}

  /** Number of observations. */
  get size(): number {
    return this.entries.size;
  }

  /** Starts an observation whose current value (`initial`, one node per path) was just answered. */
  add(spec: ObservationSpec, initial: readonly Lwm2mNode[]): void {
    this.remove(spec.key);
    const now = this.ports.clock.now();
    const e: Entry = { spec, last: [...initial], lastSentAt: now, lastEvalAt: now, stored: [] };
    this.entries.set(spec.key, e);
    this.armPeriodic(e);
  }

  /** Ends an observation and its timers. */
  remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    for (const t of [e.sendTimer, e.evalTimer, e.pmaxTimer, e.epmaxTimer]) t?.cancel();
    this.entries.delete(key);
  }

  /** Ends every observation of a server (deregistration, disable). */
  removeServer(ssid: number): void {
    for (const e of [...this.entries.values()]) if (e.spec.ssid === ssid) this.remove(e.spec.key);
  }

  /** Called when a value or the structure under `path` changed. */
  changed(path: Lwm2mPath): void {
    for (const e of [...this.entries.values()]) {
      if (e.spec.paths.some((p) => p.startsWith(path) || path.startsWith(p))) this.evaluate(e);
    }
  }

  /** Write-Attributes changed attributes at or around `path` for `ssid`: re-arm pmax/epmax timers. */
  attributesChanged(ssid: number, path: Lwm2mPath): void {
    for (const e of this.entries.values()) {
      if (e.spec.ssid !== ssid || !e.spec.paths.some((p) => p.startsWith(path) || path.startsWith(p)))
        continue;
      e.epmaxTimer?.cancel();
      e.epmaxTimer = undefined;
      this.armPeriodic(e);
    }
  }

  /** Sends what was stored for a server that is reachable again, oldest first. */
  flush(ssid: number): void {
    for (const e of this.entries.values()) {
      if (e.spec.ssid !== ssid) continue;
      const stored = e.stored.splice(0);
      for (const content of stored) e.spec.send(content, this.timing(e).con === true);
    }
  }

  /** How many notifications are stored for a server. */
  storedCount(ssid: number): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.spec.ssid === ssid) n += e.stored.length;
    return n;
  }

  /** Stops every timer and forgets every observation. */
  close(): void {
    for (const key of [...this.entries.keys()]) this.remove(key);
  }

  private timing(e: Entry): Attributes {
    return this.ports.attributes(e.spec.ssid, e.spec.paths[0]!);
  }

  private evaluate(e: Entry): void {
    const now = this.ports.clock.now();
    const attrs = this.timing(e);
    const wait = epminDelay(attrs, now - e.lastEvalAt);
    if (wait > 0) {
      e.evalTimer ??= this.ports.clock.setTimer(wait, () => {
        e.evalTimer = undefined;
        this.evaluate(e);
      });
      return;
    }
    e.lastEvalAt = now;
    const current = this.readAll(e);
    if (!current) return;
    const triggered = e.spec.paths.some((p, i) => {
      const cur = current[i];
      if (cur === undefined) return e.last[i] !== undefined;
      return valueTriggers(e.last[i], cur, i === 0 ? attrs : this.ports.attributes(e.spec.ssid, p));
    });
    if (!triggered) return;
    const decision = shouldNotify(
      undefined,
      current.find((n) => n !== undefined)!,
      attrs,
      now - e.lastSentAt,
    );
    if (decision.notify === 'now') this.send(e, current);
    else if (decision.notify === 'later') {
      e.sendTimer ??= this.ports.clock.setTimer(decision.delayMs, () => {
        e.sendTimer = undefined;
        const fresh = this.readAll(e);
        if (fresh) this.send(e, fresh);
      });
    }
  }

  /** Current nodes, one per path (undefined where a composite path is gone); undefined when gone. */
  private readAll(e: Entry): (Lwm2mNode | undefined)[] | undefined {
    const out = e.spec.paths.map((p) => {
      try {
        return this.ports.read(p);
      } catch {
        return undefined;
      }
    });
    if (out.every((n) => n !== undefined) || (e.spec.composite && out.some((n) => n !== undefined)))
      return out;
    this.remove(e.spec.key);
    e.spec.gone?.();
    return undefined;
  }

  private send(e: Entry, current: (Lwm2mNode | undefined)[]): void {
    if (!this.entries.has(e.spec.key)) return;
    e.sendTimer?.cancel();
    e.sendTimer = undefined;
    e.last = current;
    e.lastSentAt = this.ports.clock.now();
    const attrs = this.timing(e);
    const content: ObservedContent = e.spec.composite
      ? e.spec.paths.flatMap((path, i) => {
          const node = current[i];
          return node === undefined ? [] : [{ path, node }];
        })
      : current[0]!;
    const ssid = e.spec.ssid;
    if (this.ports.isReachable(ssid)) e.spec.send(content, attrs.con === true);
    else if (this.ports.storesWhenOffline(ssid)) {
      const max = typeof attrs.hqmax === 'number' ? attrs.hqmax : DEFAULT_STORED_NOTIFICATIONS;
      e.stored.push(content);
      if (e.stored.length > max) e.stored.splice(0, e.stored.length - max);
      this.ports.wake(ssid);
    }
    this.armPeriodic(e);
  }

  private armPeriodic(e: Entry): void {
    const attrs = this.timing(e);
    e.pmaxTimer?.cancel();
    e.pmaxTimer = undefined;
    const pmax = pmaxDelay(attrs, this.ports.clock.now() - e.lastSentAt);
    if (pmax !== undefined) {
      e.pmaxTimer = this.ports.clock.setTimer(pmax, () => {
        e.pmaxTimer = undefined;
        const fresh = this.readAll(e);
        if (fresh) this.send(e, fresh);
      });
    }
    if (typeof attrs.epmax === 'number' && attrs.epmax > 0 && !e.epmaxTimer) {
      const period = attrs.epmax * 1000;
      const tick = (): void => {
        e.epmaxTimer = this.ports.clock.setTimer(period, () => {
          tick();
          this.evaluate(e);
        });
      };
      tick();
    }
  }
}
