// LwM2M Core TS 1.1.1 section 5.2.7 (Bootstrap Interface) and 5.2.5 (bootstrap sequence): runs
// the plan of planBootstrap against one client (STYLE.md 14: this executor only runs plans),
// one request at a time, each with a deadline; the first failure ends the session naming its step.
import type { Clock, WallClock } from '../coap/Clock.js';
import type { BootstrapConfig } from '../lwm2m/BootstrapConfig.js';
import type { BootstrapDownlinkRequest } from '../lwm2m/requests.js';
import {
  bootstrapFormat,
  discoveredClient,
  planBootstrap,
  type BootstrapStep,
  type CompletedStep,
  type PlanContext,
} from './planBootstrap.js';
import { formatCode } from '../coap/CoapMessage.js';
import {
  MAX_RECORDED_OBJECT_IDS,
  type BootstrapSessionFailure,
  type BootstrapSessionRecord,
  type BootstrapStepRecord,
} from '../store/BootstrapSessionStore.js';

/** Sends one bootstrap request to the client and resolves with its response (never rejects on protocol failures). */
export type BootstrapSender = (
  request: BootstrapDownlinkRequest,
  signal: AbortSignal,
) => Promise<CompletedStep['response']>;

// The records are plain data kept by a BootstrapSessionStore (issue 14), so they are defined there.
export type { BootstrapSessionFailure, BootstrapSessionRecord, BootstrapStepRecord };

/** What a session needs. */
export interface BootstrapSessionOptions {
  readonly id: string;
  readonly endpoint: string;
  readonly address: string;
  readonly port: number;
  readonly config: BootstrapConfig;
  readonly plan: PlanContext;
  readonly send: BootstrapSender;
  /** Times step deadlines and durations. */
  readonly clock: Clock;
  /** Stamps `startedAt` and `endedAt` (wall-clock ms: session records outlive the process). */
  readonly wallClock: WallClock;
  /** Deadline of each step. */
  readonly stepTimeoutMs: number;
  /** Called after each step with the step's record. */
  readonly onStep?: (step: BootstrapStepRecord) => void;
}

type Response = CompletedStep['response'];

/** One bootstrap session with one client. */
export class BootstrapSession {
  private state: BootstrapSessionRecord;
  private current: AbortController | undefined;
  private abortReason: string | undefined;

  constructor(private readonly options: BootstrapSessionOptions) {
    const { id, endpoint, address, port, config, plan, wallClock } = options;
    this.state = {
      id,
      endpoint,
      address,
      port,
      format: bootstrapFormat(config, plan.preferredFormat),
      state: 'running',
      startedAt: wallClock.now(),
      steps: [],
    };
  }

  /** A snapshot of the session. */
  get record(): BootstrapSessionRecord {
    return this.state;
  }

  /** Ends a running session: the current step fails with `reason` (e.g. superseded, server stopped). */
  abort(reason: string): void {
    this.abortReason ??= reason;
    this.current?.abort();
  }

  /** Runs every planned step; resolves with the final record (state 'finished' or 'failed'). */
  async run(): Promise<BootstrapSessionRecord> {
    const done: CompletedStep[] = [];
    for (;;) {
      let steps: BootstrapStep[];
      try {
        steps = planBootstrap(this.options.config, this.options.plan, done);
      } catch (e) {
        return this.end({ step: 'plan', reason: (e as Error).message });
      }
      if (steps.length === 0) return this.end();
      for (const step of steps) {
        if (this.abortReason !== undefined) return this.end({ step: step.name, reason: this.abortReason });
        const startedAt = this.options.wallClock.now();
        const began = this.options.clock.now();
        const response = await this.runStep(step);
        const record = stepRecord(step.name, response, startedAt, this.options.clock.now() - began);
        this.state = { ...this.state, steps: [...this.state.steps, record] };
        if (step.request.kind === 'bootstrapDiscover' && response.ok) {
          this.state = { ...this.state, discovered: recordedDiscovery(response.links ?? []) };
        }
        this.options.onStep?.(record);
        if (!response.ok)
          return this.end({ step: step.name, reason: reasonOf(response), ...failureFields(response) });
        done.push({ step, response });
      }
    }
  }

  private runStep(step: BootstrapStep): Promise<Response> {
    const ac = new AbortController();
    this.current = ac;
    const ms = this.options.stepTimeoutMs;
    return new Promise<Response>((resolve) => {
      const timer = this.options.clock.setTimer(ms, () => {
        ac.abort();
        resolve({ code: 0, ok: false, failure: 'timeout', diagnostic: `no response within ${ms} ms` });
      });
      const settle = (r: Response): void => {
        timer.cancel();
        if (ac.signal.aborted && this.abortReason !== undefined)
          resolve({ code: 0, ok: false, failure: 'cancelled', diagnostic: this.abortReason });
        else resolve(r);
      };
      this.options
        .send(step.request, ac.signal)
        .then(settle, (e: unknown) =>
          settle({ code: 0, ok: false, diagnostic: e instanceof Error ? e.message : String(e) }),
        );
    }).finally(() => {
      if (this.current === ac) this.current = undefined;
    });
  }

  private end(failure?: BootstrapSessionFailure): BootstrapSessionRecord {
    const endedAt = this.options.wallClock.now();
    this.state = failure
      ? { ...this.state, state: 'failed', endedAt, failure }
      : { ...this.state, state: 'finished', endedAt };
    return this.state;
  }
}

/**
 * What the record keeps of a Bootstrap-Discover answer: the client picks how long it is, and
 * records are kept (and stored) long after the session, so the object ids are bounded.
 */
function recordedDiscovery(
  links: Parameters<typeof discoveredClient>[0],
): BootstrapSessionRecord['discovered'] {
  const d = discoveredClient(links);
  const ids = [...d.objectIds].sort((a, b) => a - b);
  const omitted = ids.length - MAX_RECORDED_OBJECT_IDS;
  return {
    ...(d.lwm2mVersion === undefined ? {} : { lwm2mVersion: d.lwm2mVersion }), // parsed as "major.minor"
    objectIds: omitted > 0 ? ids.slice(0, MAX_RECORDED_OBJECT_IDS) : ids,
    ...(omitted > 0 ? { objectIdsOmitted: omitted } : {}),
  };
}

function stepRecord(name: string, r: Response, startedAt: number, durationMs: number): BootstrapStepRecord {
  return {
    name,
    ok: r.ok,
    code: r.code,
    ...(r.failure === undefined ? {} : { failure: r.failure }),
    ...(r.diagnostic === undefined ? {} : { diagnostic: r.diagnostic }),
    startedAt,
    durationMs,
  };
}

/** 'c.dd' form of a CoAP code byte, e.g. 0x84 → '4.04' (coap's formatCode, kept under its old name). */
export const codeText = formatCode;

function reasonOf(r: Response): string {
  const detail = r.diagnostic ? `: ${r.diagnostic}` : '';
  if (r.code === 0) return `${r.failure ?? 'request failed'}${detail}`;
  if (r.failure === 'decode') return `undecodable ${codeText(r.code)} response${detail}`;
  return `client answered ${codeText(r.code)}${detail}`;
}

function failureFields(r: Response): Pick<BootstrapSessionFailure, 'code' | 'failure'> {
  return {
    ...(r.code === 0 ? {} : { code: r.code }),
    ...(r.failure === undefined ? {} : { failure: r.failure }),
  };
}
