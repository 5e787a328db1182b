// LwM2M Core TS 1.1.1 section 6.1 (when a client bootstraps) and 5.2.7: the client's bootstrap
// wiring. It routes the Bootstrap-Server's requests to a ClientBootstrapper and the rest to the
// DM handler, bootstraps when there is no LwM2M Server account, when every registration failed
// (unless every Server instance has Bootstrap on Registration Failure, /1/x/16, false) or when the
// application or a Bootstrap-Request Trigger asks, then saves the state and registers again (after
// a failed bootstrap, to the accounts it still has).
import type { CoapEndpoint } from '../../coap/CoapEndpoint.js';
import type { Clock } from '../../coap/Clock.js';
import type { RequestHandler } from '../../coap/Router.js';
import { ContentFormat } from '../../content/ContentFormat.js';
import type { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import { peerOfUri } from '../coapRegistrationPort.js';
import type { ObjectTree } from '../ObjectTree.js';
import type { ObserveEngine } from '../ObserveEngine.js';
import type { RegistrationEngine } from '../RegistrationEngine.js';
import { serverAccounts } from '../serverAccounts.js';
import { ClientBootstrapper, type BootstrapState } from './ClientBootstrapper.js';
import type { ClientStateStore } from './ClientStateStore.js';
import { restoreClientState, snapshotClientState } from './clientStateSnapshot.js';

/** Default deadline of a bootstrap session: CoAP's EXCHANGE_LIFETIME (RFC 7252 4.8.2), ms. */
export const DEFAULT_BOOTSTRAP_TIMEOUT_MS = 247_000;

/** What BootstrapControl reports to the client (its typed events). */
export interface BootstrapEvents {
  started(reason: string): void;
  failed(reason: string): void;
  bootstrapped(): void;
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
  /** LwM2M 1.2: Bootstrap-Pack-Request first (see ClientBootstrapperOptions.bootstrapPack). */
  readonly bootstrapPack?: boolean;
  readonly registration: () => RegistrationEngine | undefined;
  readonly observe: () => ObserveEngine | undefined;
  readonly events: BootstrapEvents;
}

/** The bootstrap side of one Lwm2mClient. */
export class BootstrapControl {
  private bootstrapper: ClientBootstrapper | undefined;

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
      // This client speaks plain CoAP only: Security Mode 3 (NoSec).
      supportedSecurityModes: [3],
      listener: {
        started: (reason) => this.o.events.started(reason),
        failed: (reason) => this.failed(reason),
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
    const registration = this.o.registration();
    for (const a of registration?.accounts() ?? []) this.o.observe()?.removeServer(a.ssid);
    await registration?.stop();
    return this.bootstrapper === b && b.start(reason);
  }

  /** Cancels bootstrap timers (the client stops). */
  stop(): void {
    this.bootstrapper?.stop();
    this.bootstrapper = undefined;
  }

  /** A failed bootstrap: report it, then register to the accounts still configured, if any. */
  private failed(reason: string): void {
    this.o.events.failed(reason);
    const registration = this.o.registration();
    const accounts = serverAccounts(this.o.tree);
    // Stopped for the bootstrap (no sessions): resume with what the client still has.
    if (registration && this.bootstrapper && accounts.length > 0 && registration.accounts().length === 0)
      registration.start(accounts);
  }

  private async finished(written: readonly Lwm2mPath[]): Promise<void> {
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
