// LwM2M Core TS 1.1.1 sections 5.5 (Observe, Observe-Composite) and 5.1.2 (notification
// attributes): keeps the client's observations, re-evaluates them when the tree changes and on
// their epmax/pmax timers, and delivers notifications through a sink. While the observing server
// is offline or asleep, notifications are stored when its Server object says so (resource 6,
// "Notification Storing When Disabled or Offline") and flushed when it is back (1.1, 6.5 queue mode).
// Composite observations use the attributes of their first path for pmin/pmax/epmin/epmax/con and
// each path's own attributes for its value conditions.
// Changes reported in one synchronous run (an application setting several resources of an observed
// instance, a server's Write of an instance) are evaluated once, at the end of that run: one change
// of the observed node, one Notify. Notifications are read as the observing server may read them:
// through its access rights (Core TS 7.3) and without resources it may not read (write-only).
// A server outage never ends an observation (Core TS 1.1.1 E.2, resource 6): a confirmable
// notification that went unacknowledged marks the server offline; what follows is stored (bounded
// per observation, oldest dropped and counted) or dropped and counted when storing is off.
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
  /**
   * Ends the CoAP observation because an observed node no longer exists (4.04) or may no longer
   * be read by the server (4.01, 4.05): `code` is the response code (RFC 7641 3.2).
   */
  readonly gone?: (code: number) => void;
}

/** What the engine asks about servers and the tree. */
export interface ObserveEnginePorts {
  readonly clock: Clock;
  /** Reads a node as server `ssid` may read it; throws (NotFoundError, UnauthorizedError …) otherwise. */
  read(ssid: number, path: Lwm2mPath): Lwm2mNode;
  /** Attributes in force for `path` and server `ssid` (inheritance and defaults applied). */
  attributes(ssid: number, path: Lwm2mPath): Attributes;
  /** True when notifications can go to the server now. */
  isReachable(ssid: number): boolean;
  /** True when notifications to an unreachable server are to be stored (Server resource 6). */
  storesWhenOffline(ssid: number): boolean;
  /** Asks the client to wake up / reconnect to a server that has stored notifications. */
  wake(ssid: number): void;
  /** A confirmable notification to the server went unacknowledged: it is offline until it answers. */
  lost(ssid: number): void;
}

/** Settings of an ObserveEngine. */
export interface ObserveEngineOptions {
  /**
   * Most notifications stored per observation while its server is offline; a server's hqmax
   * (1.2) may lower it, never raise it. Default DEFAULT_STORED_NOTIFICATIONS.
   */
  readonly maxStoredNotifications?: number;
}

/** Default bound of the notifications stored per observation. */
export const DEFAULT_STORED_NOTIFICATIONS = 32;

/** Response code ending an observation whose node is gone, when the read error names none. */
const NOT_FOUND = 0x84;

interface Entry {
  readonly spec: ObservationSpec;
  /** Values last notified, one per path. */
  last: (Lwm2mNode | undefined)[];
  /** Values seen at the last evaluation (edge compares with them). */
  seen: (Lwm2mNode | undefined)[];
  /** Content of the last notification handed to `send` (stored again if it goes unacknowledged). */
  lastContent?: ObservedContent;
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
  /** Observations touched by changes of the current synchronous run, evaluated at its end. */
  private readonly dirty = new Set<Entry>();
  private readonly dropped = new Map<number, number>();
  private readonly maxStored: number;

  constructor(private readonly ports: ObserveEnginePorts & ObserveEngineOptions) {
    this.maxStored = Math.max(0, ports.maxStoredNotifications ?? DEFAULT_STORED_NOTIFICATIONS);
  }

  /** Number of observations. */
  get size(): number {
    return this.entries.size;
  }

  /** Starts an observation whose current value (`initial`, one node per path) was just answered. */
  add(spec: ObservationSpec, initial: readonly Lwm2mNode[]): void {
    this.remove(spec.key);
    const now = this.ports.clock.now();
    const e: Entry = {
      spec,
      last: [...initial],
      seen: [...initial],
      lastSentAt: now,
      lastEvalAt: now,
      stored: [],
    };
    this.entries.set(spec.key, e);
    this.armPeriodic(e);
  }

  /** Ends an observation and its timers. */
  remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    for (const t of [e.sendTimer, e.evalTimer, e.pmaxTimer, e.epmaxTimer]) t?.cancel();
    this.entries.delete(key);
    this.dirty.delete(e);
  }

  /** Ends every observation of a server (deregistration, disable). */
  removeServer(ssid: number): void {
    for (const e of [...this.entries.values()]) if (e.spec.ssid === ssid) this.remove(e.spec.key);
  }

  /** Called when a value or the structure under `path` changed; evaluated once the current run ends. */
  changed(path: Lwm2mPath): void {
    const first = this.dirty.size === 0;
    for (const e of this.entries.values()) {
      if (e.spec.paths.some((p) => p.startsWith(path) || path.startsWith(p))) this.dirty.add(e);
    }
    if (first && this.dirty.size > 0) queueMicrotask(() => this.evaluateDirty());
  }

  /**
   * A confirmable notification of observation `key` went unacknowledged (RFC 7641 4.5). RFC 7641
   * lets a CoAP server drop the observer then; an LwM2M Client keeps it (observations live as long
   * as the registration, Core TS 1.1.1 6.4), takes the server as offline and keeps the lost
   * content for delivery once the server is back, when Server resource 6 says so.
   */
  undelivered(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.ports.lost(e.spec.ssid);
    if (e.lastContent !== undefined) this.keep(e, e.lastContent);
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
      const con = this.timing(e).con === true;
      // A newer CON notification replaces one still outstanding (RFC 7641 4.5.2), which would
      // lose all but the newest of a burst: the older ones go as NON, the newest as con says.
      stored.forEach((content, i) => {
        const newest = i === stored.length - 1;
        if (newest) e.lastContent = content;
        e.spec.send(content, newest && con);
      });
    }
  }

  /** How many notifications for a server were dropped: store full, or storing off while offline. */
  droppedCount(ssid: number): number {
    return this.dropped.get(ssid) ?? 0;
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

  private evaluateDirty(): void {
    const list = [...this.dirty];
    this.dirty.clear();
    for (const e of list) if (this.entries.get(e.spec.key) === e) this.evaluate(e);
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
      const a = i === 0 ? attrs : this.ports.attributes(e.spec.ssid, p);
      return valueTriggers(e.last[i], cur, a, e.seen[i]);
    });
    e.seen = current;
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
    let code = NOT_FOUND;
    const out = e.spec.paths.map((p) => {
      try {
        return this.ports.read(e.spec.ssid, p);
      } catch (err) {
        const c = (err as { coapCode?: unknown }).coapCode;
        if (typeof c === 'number') code = c;
        return undefined;
      }
    });
    if (out.every((n) => n !== undefined) || (e.spec.composite && out.some((n) => n !== undefined)))
      return out;
    this.remove(e.spec.key);
    e.spec.gone?.(code);
    return undefined;
  }

  private send(e: Entry, current: (Lwm2mNode | undefined)[]): void {
    if (!this.entries.has(e.spec.key)) return;
    e.sendTimer?.cancel();
    e.sendTimer = undefined;
    e.last = current;
    e.seen = current;
    e.lastSentAt = this.ports.clock.now();
    const attrs = this.timing(e);
    const content: ObservedContent = e.spec.composite
      ? e.spec.paths.flatMap((path, i) => {
          const node = current[i];
          return node === undefined ? [] : [{ path, node }];
        })
      : current[0]!;
    if (this.ports.isReachable(e.spec.ssid)) {
      e.lastContent = content;
      e.spec.send(content, attrs.con === true);
    } else this.keep(e, content);
    this.armPeriodic(e);
  }

  /** Stores a notification its offline server cannot get now (bounded, oldest dropped) or drops it. */
  private keep(e: Entry, content: ObservedContent): void {
    const ssid = e.spec.ssid;
    e.lastContent = undefined;
    if (!this.ports.storesWhenOffline(ssid)) {
      this.countDropped(ssid, 1);
      return;
    }
    const hqmax = this.timing(e).hqmax;
    const max = typeof hqmax === 'number' ? Math.min(hqmax, this.maxStored) : this.maxStored;
    e.stored.push(content);
    if (e.stored.length > max) this.countDropped(ssid, e.stored.splice(0, e.stored.length - max).length);
    this.ports.wake(ssid);
  }

  private countDropped(ssid: number, n: number): void {
    if (n > 0) this.dropped.set(ssid, (this.dropped.get(ssid) ?? 0) + n);
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
