// RFC 7641 section 4 (server side): the list of observers, keyed by client endpoint and token
// (4.1); registration when the handler accepts a GET with Observe=0, removal on Observe=1 (3.6),
// on RST (3.6, 4.5), on a CON notification timeout (4.5) and on error responses (3.2); sequence
// numbers (4.4) counted per observation, which keeps them increasing within each relation; a CON
// notification at least every 24 hours (4.5); a newer notification replacing an outstanding CON
// one, keeping its retransmission counter and timeout (4.5.2).
import type { Peer } from '../../transport/Peer.js';
import type { Clock, RandomSource } from '../Clock.js';
import { Code } from '../CoapMessage.js';
import type { MessageLayer } from '../MessageLayer.js';
import type { IncomingRequest, OutgoingResponse } from '../Router.js';
import { responseMessage } from '../responseMessage.js';
import { exchangeKey } from '../tokens.js';
import {
  ServerObservation,
  type NotifyOptions,
  type ObservationOwner,
  type ServerObservationEndReason,
} from './ServerObservation.js';

/** At least one notification in 24 hours must be CON (RFC 7641 4.5). */
export const CON_NOTIFICATION_INTERVAL_MS = 24 * 3600 * 1000;

/** Observers of this endpoint's resources. */
export class ObserverRegistry implements ObservationOwner {
  private readonly byKey = new Map<string, ServerObservation>();
  private readonly byPath = new Map<string, Set<ServerObservation>>();
  private readonly byNonMid = new Map<string, ServerObservation>();
  private readonly accepted = new WeakMap<IncomingRequest, ServerObservation>();
  /** Rewrites each 2.xx notification before it is sent (block-wise: only the first block, RFC 7959 2.6). */
  notificationStage: ((obs: ServerObservation, response: OutgoingResponse) => OutgoingResponse) | undefined;

  constructor(
    private readonly messages: MessageLayer,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /** Number of active observations. */
  get size(): number {
    return this.byKey.size;
  }

  /**
   * Accepts the observe registration `req` (a request with Observe=0) from inside its handler.
   * It becomes active when the handler's response is a 2.xx, which then carries the Observe
   * option. Undefined when `req` does not ask to register.
   */
  accept(req: IncomingRequest): ServerObservation | undefined {
    // Observe is defined for GET (RFC 7641 2) and FETCH (RFC 8132 2.4).
    if (req.observe !== 0 || (req.method !== Code.GET && req.method !== Code.FETCH)) return undefined;
    const existing = this.accepted.get(req);
    if (existing) return existing;
    const key = exchangeKey(req.peer.key, req.message.token);
    const obs = new ServerObservation(
      this,
      key,
      req.peer,
      req.message.token,
      req.path,
      req.message,
      Math.floor(this.random() * 0x10000),
    );
    this.accepted.set(req, obs);
    return obs;
  }

  /**
   * Called with the response to `req` just before it is sent: returns the Observe value to put
   * in it when `req` was accepted and `code` is a success (the observation is then active).
   */
  activate(req: IncomingRequest, code: number): number | undefined {
    const obs = this.accepted.get(req);
    if (!obs) return undefined;
    this.accepted.delete(req);
    if (code >> 5 !== 2 || obs.endReason !== undefined) {
      obs.markEnded('ended');
      return undefined;
    }
    // RFC 7641 4.1: a registration with the same peer and token replaces the existing entry.
    const old = this.byKey.get(obs.key);
    if (old) this.remove(old, 'replaced');
    this.byKey.set(obs.key, obs);
    const pathKey = obs.path.join('/');
    let set = this.byPath.get(pathKey);
    if (!set) this.byPath.set(pathKey, (set = new Set()));
    set.add(obs);
    obs.active = true;
    obs.lastConAt = this.clock.now();
    const seq = obs.sequence;
    obs.sequence = (seq + 1) & 0xffffff;
    return seq;
  }

  /** Removes the observation of `peer` with `token` (GET with Observe=1, RFC 7641 3.6). */
  deregister(peer: Peer, token: Uint8Array): boolean {
    const obs = this.byKey.get(exchangeKey(peer.key, token));
    if (obs) this.remove(obs, 'deregistered');
    return obs !== undefined;
  }

  /** An RST that matched no CON: if it rejects a NON notification, that observer goes (3.6). */
  onReset(peer: Peer, messageId: number): boolean {
    const obs = this.byNonMid.get(peer.key + ':' + messageId);
    if (obs) this.remove(obs, 'reset');
    return obs !== undefined;
  }

  /** Active observations of `path` ('/3/0' or ['3', '0']). */
  observersOf(path: string | readonly string[]): ServerObservation[] {
    const key = typeof path === 'string' ? path.replace(/^\//, '') : path.join('/');
    return [...(this.byPath.get(key) ?? [])];
  }

  /** Notifies every observer of `path` with the same response; returns how many. */
  notifyPath(path: string | readonly string[], response: OutgoingResponse, options?: NotifyOptions): number {
    const list = this.observersOf(path);
    for (const obs of list) obs.notify(response, options);
    return list.length;
  }

  /** Sends one notification of `obs` (ServerObservation.notify calls this). */
  sendNotification(
    obs: ServerObservation,
    response: OutgoingResponse,
    options: NotifyOptions | undefined,
  ): void {
    if (!obs.isActive) return;
    // A notification with an error code ends the relation (RFC 7641 3.2, 4.2).
    if (response.code >> 5 !== 2) {
      this.endObservation(obs, 'ended', response);
      return;
    }
    if (this.notificationStage) response = this.notificationStage(obs, response);
    const seq = obs.sequence;
    obs.sequence = (seq + 1) & 0xffffff;
    const msg = responseMessage(obs.token, response, seq);
    const now = this.clock.now();
    const con = options?.confirmable === true || now - obs.lastConAt >= CON_NOTIFICATION_INTERVAL_MS;
    if (obs.con && !obs.con.done) {
      // RFC 7641 4.5.2: the newer notification takes over the outstanding CON.
      this.messages.replace(obs.con, msg);
      obs.lastConAt = now;
      return;
    }
    if (con) {
      obs.lastConAt = now;
      obs.con = this.messages.sendCon(obs.peer, msg, obs, false);
      return;
    }
    if (obs.nonMessageId >= 0) this.byNonMid.delete(obs.peer.key + ':' + obs.nonMessageId);
    obs.nonMessageId = this.messages.sendNon(obs.peer, msg);
    this.byNonMid.set(obs.peer.key + ':' + obs.nonMessageId, obs);
  }

  /** Ends `obs`, optionally telling the client with a final response without Observe (3.2). */
  endObservation(obs: ServerObservation, reason: ServerObservationEndReason, final?: OutgoingResponse): void {
    if (obs.endReason !== undefined) return;
    const wasActive = obs.isActive;
    this.remove(obs, reason);
    if (final && wasActive) this.messages.sendCon(obs.peer, responseMessage(obs.token, final), NO_OP, false);
  }

  /** Ends every observation with reason 'closed'. */
  close(): void {
    for (const obs of [...this.byKey.values()]) this.remove(obs, 'closed');
  }

  private remove(obs: ServerObservation, reason: ServerObservationEndReason): void {
    if (this.byKey.get(obs.key) === obs) this.byKey.delete(obs.key);
    const pathKey = obs.path.join('/');
    const set = this.byPath.get(pathKey);
    if (set?.delete(obs) && set.size === 0) this.byPath.delete(pathKey);
    if (obs.nonMessageId >= 0) this.byNonMid.delete(obs.peer.key + ':' + obs.nonMessageId);
    if (obs.con && !obs.con.done) this.messages.cancel(obs.con);
    obs.con = undefined;
    obs.markEnded(reason);
  }
}

const NO_OP = { onAck: (): void => undefined, onFail: (): void => undefined };
