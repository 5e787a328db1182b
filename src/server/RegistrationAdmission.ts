// Issue 12, item 1 over LwM2M Core TS 1.1.1 6.2.1 / RFC 7252 5.9.3.4 and 5.9.2.9: whether a
// Register (or an Update's new links) may be kept. Over a bound the client gets the right code and
// nothing changes: 5.03 Service Unavailable with Max-Age (the seconds after which to retry) for the
// per-source rate and the total count, 4.13 Request Entity Too Large for a registration that would
// keep too many bytes (retrying the same payload cannot help).
import { Code, OptionNumber } from '../coap/CoapMessage.js';
import type { Clock } from '../coap/Clock.js';
import { encodeUint } from '../coap/options.js';
import type { OutgoingResponse } from '../coap/Router.js';
import type { Peer } from '../transport/Peer.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';
import { registrationBytes } from './registrationBytes.js';
import type { ServerLimitName, ServerLimitsConfig } from './ServerLimits.js';
import { SourceRateLimiter } from './SourceRateLimiter.js';

const encoder = new TextEncoder();

/** Applies the registration bounds of ServerLimitsConfig and counts their hits. */
export class RegistrationAdmission {
  private readonly rate: SourceRateLimiter;
  /** Registers between the count check and the store write (kept in the count). */
  private pending = 0;

  constructor(
    private readonly limits: ServerLimitsConfig,
    private readonly store: RegistrationStore,
    clock: Clock,
    private readonly onLimit: (name: ServerLimitName, source: string) => void,
  ) {
    this.rate = new SourceRateLimiter(
      {
        ratePerSecond: limits.registrationsPerSecondPerSource,
        burst: limits.registrationBurstPerSource,
        maxSources: limits.maxTrackedSources,
      },
      clock,
    );
  }

  /** The answers a bound gave (its `limit` event reports them, rate-limited: no event per answer). */
  private readonly refusals = new WeakSet<OutgoingResponse>();

  /** True when `res` is a refusal by one of these bounds (already counted and reported). */
  isLimitRefusal(res: OutgoingResponse): boolean {
    return this.refusals.has(res);
  }

  private refuse(res: OutgoingResponse): OutgoingResponse {
    this.refusals.add(res);
    return res;
  }

  /** Source addresses whose Register rate is tracked now. */
  get trackedSources(): number {
    return this.rate.size;
  }

  /** Before any parsing: a Register from `peer` over its source's rate gets 5.03 + Max-Age. */
  checkRate(peer: Peer): OutgoingResponse | undefined {
    const waitMs = this.rate.take(peer.address);
    if (waitMs === 0) return undefined;
    this.onLimit('registrationRate', peer.address);
    return this.refuse(unavailable(Math.ceil(waitMs / 1000), 'too many registrations from this address'));
  }

  /** The registration's size: 4.13 when it would keep more than maxRegistrationBytes. */
  checkSize(reg: Registration, peer: Peer): OutgoingResponse | undefined {
    const bytes = registrationBytes(reg);
    if (bytes <= this.limits.maxRegistrationBytes) return undefined;
    this.onLimit('registrationBytes', peer.address);
    return this.refuse({
      code: Code.REQUEST_ENTITY_TOO_LARGE,
      payload: encoder.encode(`registration keeps ~${bytes} bytes, over ${this.limits.maxRegistrationBytes}`),
    });
  }

  /**
   * Runs `add` unless maxRegistrations are held (a Register that replaces its endpoint's
   * registration adds nothing and always passes); then answers 5.03 + Max-Age.
   */
  async admit<T>(reg: Registration, add: () => Promise<T>): Promise<T | OutgoingResponse> {
    const size = this.store.sizeNow?.() ?? (await this.store.size());
    if (size + this.pending >= this.limits.maxRegistrations) {
      if (!(await this.store.getByEndpoint(reg.endpoint))) {
        this.onLimit('registrations', reg.peer.address);
        return this.refuse(unavailable(this.limits.registrationRetryAfterS, 'registration limit reached'));
      }
    }
    this.pending++;
    try {
      return await add();
    } finally {
      this.pending--;
    }
  }
}

/** RFC 7252 5.9.3.4: 5.03 with Max-Age = the seconds after which the client may retry. */
function unavailable(retryAfterS: number, diagnostic: string): OutgoingResponse {
  return {
    code: Code.SERVICE_UNAVAILABLE,
    options: [{ number: OptionNumber.MAX_AGE, value: encodeUint(Math.max(1, retryAfterS)) }],
    payload: encoder.encode(diagnostic),
  };
}
