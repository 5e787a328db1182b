// LwM2M Core TS 1.1.1 section 6.1 (when a client bootstraps) and 5.2.7: the client's bootstrap
// wiring. It routes the Bootstrap-Server's requests to a ClientBootstrapper and the rest to the
// DM handler, bootstraps when there is no LwM2M Server account, when every registration failed
// (unless every Server instance has Bootstrap on Registration Failure, /1/x/16, false) or when the
// application or a Bootstrap-Request Trigger asks, then saves the state and registers again (after
// a failed bootstrap, to the accounts it still has; with none, it tries again with back-off:
// a device whose Bootstrap-Server is down at power-on is not stranded until restart).
import type { CoapEndpoint } from '../../coap/CoapEndpoint.js';
import type { Clock, TimerHandle } from '../../coap/Clock.js';
import type { RequestHandler } from '../../coap/Router.js';
import { ContentFormat } from '../../content/ContentFormat.js';
import type { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import type { AttemptFailure } from '../attemptFailure.js';
import { SUPPORTED_SECURITY_MODES } from '../accountSecurity.js';
import { peerOfUri } from '../coapRegistrationPort.js';
import { DEFAULT_RETRY_POLICY, planRetry, type RetryPolicy } from '../planRetry.js';
import type { ObjectTree } from '../ObjectTree.js';
import type { ObserveEngine } from '../ObserveEngine.js';
import type { RegistrationEngine } from '../RegistrationEngine.js';
import { serverAccounts } from '../serverAccounts.js';
import { ClientBootstrapper, type BootstrapState } from './ClientBootstrapper.js';
import { bootstrapAccountTimeout, purgeBootstrapAccount } from './bootstrapAccountTimeout.js';
import type { ClientStateStore } from './ClientStateStore.js';
import { restoreClientState, snapshotClientState } from './clientStateSnapshot.js';

/** Default deadline of a bootstrap session: CoAP's EXCHANGE_LIFETIME (RFC 7252 4.8.2), ms. */
export const DEFAULT_BOOTSTRAP_TIMEOUT_MS = 247_000;

/**
 * Default retry of a failed client-initiated bootstrap: the defaults of Core TS 1.1.1 table
 * 6.2.1.1-1 (5 attempts, 60 s doubling, 86 400 s between sequences), which resource 19 says may
 * apply to bootstrapping attempts; as no Server instance holds a sequence count for the
 * Bootstrap-Server, sequences go on without end, so the device always comes back.
 */
export const DEFAULT_BOOTSTRAP_RETRY: RetryPolicy = Object.freeze({
  ...DEFAULT_RETRY_POLICY,
  sequenceRetryCount: Number.POSITIVE_INFINITY,
});

/** What BootstrapControl reports to the client (its typed events). */
export interface BootstrapEvents {
  started(reason: string): void;
  /** A bootstrap attempt failed; `retryInMs` says when the next one starts, if one is planned. */
  attemptFailed(failure: AttemptFailure): void;
  failed(reason: string): void;
  bootstrapped(): void;
  /** The Bootstrap-Server account was purged (its Account Timeout, /0/x/12, ran out). */
  accountPurged(): void;
  warning(e: Error): void;
}

/** What BootstrapControl works with. */
export interface BootstrapControlOptions {
  readonly tree: ObjectTree;
  readonly clock: Clock;
  readonly endpointName: string;
  readonly lwm2mVersion: '1.0' | '1.1' | '1.2';
  readonly stateStore?: ClientStateStore;
  readonly sessionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** `pct` of the Bootstrap-Request (default SenML CBOR). */
  readonly preferredFormat?: number;
  /** URI schemes the client has a transport for (a coaps account is refused at Finish without DTLS). */
  readonly supportedSchemes: readonly string[];
  /** Back-off between failed bootstrap attempts (default DEFAULT_BOOTSTRAP_RETRY). */
  readonly retry?: RetryPolicy;
  /** LwM2M 1.2: Bootstrap-Pack-Request first (see ClientBootstrapperOptions.bootstrapPack). */
  readonly bootstrapPack?: boolean;
  readonly registration: () => RegistrationEngine | undefined;
  readonly observe: () => ObserveEngine | undefined;
  readonly events: BootstrapEvents;
}

/** The bootstrap side of one Lwm2mClient. */
export class BootstrapControl {
  private bootstrapper: ClientBootstrapper | undefined;
  /** Failed attempts in a row (reset by a successful bootstrap). */
  private failures = 0;
  private retryTimer: TimerHandle | undefined;
  /** Runs out when the Bootstrap-Server Account Timeout (/0/x/12) does. */
  private purgeTimer: TimerHandle | undefined;

  constructor(private readonly o: BootstrapControlOptions) {}

  /** Where the bootstrap stands ('idle' before any). */
  get state(): BootstrapState {
    return this.bootstrapper?.state ?? 'idle';
  }

  /** Loads the saved state, so a restarted client does not bootstrap again (Core TS 6.1). */
  async restore(): Promise<void> {
    const store = this.o.stateStore;
    if (!store) return;
    try {
      const state = await store.load();
      if (state) restoreClientState(this.o.tree, state);
      // The time left is not saved: a restarted client counts the whole timeout again.
      if (state) this.armAccountPurge();
    } catch (e) {
      this.o.events.warning(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Starts serving over `coap`; returns the router handler that puts `dm` behind the bootstrap route. */
  attach(coap: CoapEndpoint, dm: RequestHandler): RequestHandler {
    const b = new ClientBootstrapper({
      tree: this.o.tree,
      clock: this.o.clock,
      endpointName: this.o.endpointName,
      lwm2mVersion: this.o.lwm2mVersion,
      coap: () => coap,
      preferredFormat: this.o.preferredFormat ?? ContentFormat.SENML_CBOR,
      ...(this.o.bootstrapPack ? { bootstrapPack: true } : {}),
      sessionTimeoutMs: this.o.sessionTimeoutMs ?? DEFAULT_BOOTSTRAP_TIMEOUT_MS,
      ...(this.o.requestTimeoutMs !== undefined ? { requestTimeoutMs: this.o.requestTimeoutMs } : {}),
      // NoSec over coap:// and PSK over coaps:// (accountSecurity.ts).
      supportedSecurityModes: SUPPORTED_SECURITY_MODES,
      supportedSchemes: this.o.supportedSchemes,
      listener: {
        started: (reason) => this.o.events.started(reason),
        failed: (failure) => this.failed(failure),
        finished: (written) => void this.finished(written),
        warning: (e) => this.o.events.warning(e),
      },
    });
    this.bootstrapper = b;
    // Transport TS 6.2: the Bootstrap-Server's requests use the Bootstrap interface.
    return (req) =>
      b.isBootstrapPeer(req.peer) && (b.active || !this.isServerPeer(req.peer.key)) ? b.handle(req) : dm(req);
  }

  /** Core TS 6.1 at start: true when a bootstrap began because there is no LwM2M Server account. */
  startIfUnconfigured(): boolean {
    const b = this.bootstrapper;
    if (!b?.account() || serverAccounts(this.o.tree).length > 0) return false;
    return b.start('no LwM2M Server account');
  }

  /** Every registration failed: bootstrap unless every Server instance set resource 16 to false (E.2). */
  registrationsFailed(): void {
    const tree = this.o.tree;
    const wanted = serverAccounts(tree).some((a) => {
      const r = tree.get(1, a.serverInstance)?.read(16);
      return !(r?.kind === 'resource' && r.value.value === false);
    });
    if (wanted) void this.start('every server account failed');
  }

  /** De-registers and starts a client-initiated bootstrap; false without a Bootstrap-Server account. */
  async start(reason: string): Promise<boolean> {
    const b = this.bootstrapper;
    if (!b?.account()) return false;
    if (b.active) return true;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    const registration = this.o.registration();
    for (const a of registration?.accounts() ?? []) this.o.observe()?.removeServer(a.ssid);
    await registration?.stop();
    return this.bootstrapper === b && b.start(reason);
  }

  /** Cancels bootstrap timers (the client stops). */
  stop(): void {
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.purgeTimer?.cancel();
    this.purgeTimer = undefined;
    this.bootstrapper?.stop();
    this.bootstrapper = undefined;
  }

  /**
   * A failed bootstrap: report it, then register to the accounts still configured, if any (their
   * failure brings the client back here); with none, try again after the back-off (Core TS 6.1,
   * 6.2.1.1), or give up once the retry policy is exhausted.
   */
  private failed(failure: Omit<AttemptFailure, 'retryInMs'>): void {
    const registration = this.o.registration();
    const accounts = serverAccounts(this.o.tree);
    const b = this.bootstrapper;
    this.failures++;
    if (b && accounts.length > 0) {
      this.o.events.attemptFailed(failure);
      this.o.events.failed(failure.reason);
      // Stopped for the bootstrap (no sessions): resume with what the client still has.
      if (registration && registration.accounts().length === 0) registration.start(accounts);
      return;
    }
    const step = planRetry(this.o.retry ?? DEFAULT_BOOTSTRAP_RETRY, this.failures);
    if (b && step.kind === 'retry') {
      this.retryTimer = this.o.clock.setTimer(step.delayMs, () => {
        this.retryTimer = undefined;
        if (this.bootstrapper === b) void this.start('retry after a failed bootstrap');
      });
      this.o.events.attemptFailed({ ...failure, retryInMs: step.delayMs });
    } else this.o.events.attemptFailed(failure);
    this.o.events.failed(failure.reason);
  }

  private async finished(written: readonly Lwm2mPath[]): Promise<void> {
    this.failures = 0;
    this.armAccountPurge();
    const store = this.o.stateStore;
    if (store) {
      try {
        await store.save(snapshotClientState(this.o.tree, written));
      } catch (e) {
        this.o.events.warning(e instanceof Error ? e : new Error(String(e)));
      }
    }
    this.o.events.bootstrapped();
    const registration = this.o.registration();
    if (!registration || !this.bootstrapper) return;
    await registration.stop(); // a server-initiated session may have found it running
    if (this.bootstrapper) registration.start(serverAccounts(this.o.tree));
  }

  /** Core TS 5.2.3.3 step 3 / E.1 resource 12: purge the Bootstrap-Server account when it times out. */
  private armAccountPurge(): void {
    this.purgeTimer?.cancel();
    this.purgeTimer = undefined;
    const found = bootstrapAccountTimeout(this.o.tree);
    if (!found) return;
    this.purgeTimer = this.o.clock.setTimer(found.timeoutS * 1000, () => {
      this.purgeTimer = undefined;
      // A session under way (e.g. server-initiated) uses the account: wait one more timeout
      // (a successful Finish re-arms it anyway).
      if (this.bootstrapper?.active) return this.armAccountPurge();
      purgeBootstrapAccount(this.o.tree, found.instanceId, this.o.stateStore).then(
        () => this.o.events.accountPurged(),
        (e: unknown) => this.o.events.warning(e instanceof Error ? e : new Error(String(e))),
      );
    });
  }

  private isServerPeer(peerKey: string): boolean {
    return serverAccounts(this.o.tree).some((a) => {
      try {
        return peerOfUri(a.uri).key === peerKey;
      } catch {
        return false;
      }
    });
  }
}
