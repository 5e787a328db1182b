// The server child's side of the --sweep epilogue (issue 17 item 3): with every registration of
// the sweep held, how long the expiry sweep (Core TS 1.1.1 section 6.2.2, src/server/ExpirySweep.ts)
// takes when nothing is due and when a batch of registrations expires at once, and the REST API
// the paging figures are read from (GET /api/clients, src/http/clientList.ts).
import type { AddressInfo } from 'node:net';
import type { IntervalHistogram } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { systemClock } from '../../src/coap/Clock.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { lwm2mServerPort } from '../../src/http/lwm2mServerPort.js';
import { ExpirySweep } from '../../src/server/ExpirySweep.js';
import type { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import type { RegistrationStore } from '../../src/store/RegistrationStore.js';
import type { ExpiryFigures } from './serverControl.js';

/** Idle sweep passes timed (the slowest is reported). */
const IDLE_PASSES = 20;
/** The expiries must all happen within this long (every wait is bounded). */
const EXPIRY_MAX_MS = 120_000;

/** A wall clock the epilogue can move forward. */
export interface MovableWallClock {
  offsetMs: number;
  now(): number;
}

/** Expiry and paging measurements on the server child's Lwm2mServer. */
export class SweepEpilogue {
  private http: FastifyInstance | undefined;
  private expired = 0;
  private onExpired: (() => void) | undefined;

  constructor(
    private readonly server: Lwm2mServer,
    store: RegistrationStore | undefined,
    private readonly wallClock: MovableWallClock,
    private readonly lag: IntervalHistogram,
    private readonly registrations = store ?? server.config.store,
  ) {
    server.on('expired', () => {
      this.expired++;
      this.onExpired?.();
    });
  }

  /**
   * Times IDLE_PASSES sweeps over the server's store with nothing due (the same ExpirySweep code
   * the server runs every interval), then moves the wall clock past `lifetimeS` and the grace
   * period and waits until the server's own sweep has removed `expect` registrations.
   */
  async expiry(expect: number, lifetimeS: number): Promise<ExpiryFigures> {
    const { expiryGraceMs } = this.server.config;
    const advanceMs = lifetimeS * 1000 + expiryGraceMs + 1_000;
    const idle = new ExpirySweep({
      store: this.registrations,
      clock: systemClock,
      wallClock: this.wallClock,
      graceMs: expiryGraceMs,
      intervalMs: 1_000,
      onExpired: () => undefined,
      onError: () => undefined,
    });
    const registrations = await this.registrations.size();
    let idlePassMaxUs = 0;
    for (let i = 0; i < IDLE_PASSES; i++) {
      const t0 = performance.now();
      const removed = await idle.sweep();
      idlePassMaxUs = Math.max(idlePassMaxUs, (performance.now() - t0) * 1000);
      if (removed > 0) throw new Error(`an idle sweep removed ${removed} registrations`);
    }
    const target = this.expired + expect;
    this.lag.reset();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let last = t0;
    this.wallClock.offsetMs += advanceMs;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, EXPIRY_MAX_MS);
      this.onExpired = () => {
        last = performance.now();
        if (this.expired < target) return;
        clearTimeout(timer);
        resolve();
      };
    });
    this.onExpired = undefined;
    const cpu = process.cpuUsage(cpu0);
    return {
      registrations,
      idlePassMaxUs,
      expiredInMs: last - t0,
      expired: expect - (target - this.expired),
      cpuMs: (cpu.user + cpu.system) / 1000,
      lagP99Ms: this.lag.percentile(99) / 1e6,
      lagMaxMs: this.lag.max / 1e6,
    };
  }

  /** Starts the REST API on 127.0.0.1 (once) and answers its port. */
  async httpPort(): Promise<number> {
    if (!this.http) {
      this.http = createHttpApi(lwm2mServerPort(this.server), { logger: false });
      await this.http.listen({ port: 0, host: '127.0.0.1' });
    }
    return (this.http.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await this.http?.close();
  }
}
