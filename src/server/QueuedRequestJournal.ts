// LwM2M Transport TS 1.1.1 section 6.5 (Queue Mode Operation), issue 14 item 4: the QueueModeSender's
// record of each request it holds for a sleeping client, written to a QueuedRequestStore: stored
// before it is sent, then each status change (sent, back to queued, and a final one with the
// result). Writes of one entry are chained in order; a failed write becomes a warning, never the
// caller's outcome. After close() nothing more is written: what is still queued stays queued.
import { randomBytes } from 'node:crypto';
import { nodeToJson } from '../lwm2m/nodeStoreJson.js';
import type { Lwm2mNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { DownlinkRequest } from '../lwm2m/requests.js';
import type { ResponseBase } from '../lwm2m/responses.js';
import type {
  QueuedRequestRecord,
  QueuedRequestResult,
  QueuedRequestStatus,
  QueuedRequestStore,
} from '../store/QueuedRequestStore.js';

/** Settings of a QueuedRequestJournal. */
export interface QueuedRequestJournalOptions {
  /** Wall-clock ms since 1970 (stored times). Default Date.now. */
  readonly wallClock?: () => number;
  /** Makes the opaque id of an entry. Default 96 random bits, base64url. */
  readonly newId?: () => string;
  /** Largest decoded read content kept with a result, as JSON characters. Default 4096. */
  readonly maxResultBytes?: number;
  /** An entry reached a final status (after its write). */
  readonly onDone?: (record: QueuedRequestRecord) => void;
  /** A store write failed. */
  readonly onError?: (e: Error) => void;
}

/** Default of QueuedRequestJournalOptions.maxResultBytes. */
export const DEFAULT_MAX_RESULT_BYTES = 4096;

/** The final status a response gives: answered when the client answered, else why not. */
export function finalStatusOf(response: ResponseBase): QueuedRequestStatus {
  if (response.failure === undefined) return 'answered';
  return response.failure === 'cancelled' ? 'cancelled' : 'failed';
}

/** `response` as a stored result, with its read content when it fits in `maxBytes`. */
export function resultOf(response: ResponseBase, maxBytes: number): QueuedRequestResult {
  const { code, ok, failure, diagnostic } = response;
  const { content, format } = response as { content?: Lwm2mNode | readonly PathNode[]; format?: number };
  const base: QueuedRequestResult = {
    code,
    ok,
    ...(failure === undefined ? {} : { failure }),
    ...(diagnostic === undefined ? {} : { diagnostic: diagnostic.slice(0, 512) }),
    ...(format === undefined ? {} : { format }),
  };
  if (content === undefined) return base;
  const json = Array.isArray(content)
    ? (content as readonly PathNode[]).map((n) => ({ path: n.path.toString(), node: nodeToJson(n.node) }))
    : nodeToJson(content as Lwm2mNode);
  return JSON.stringify(json).length <= maxBytes ? { ...base, content } : { ...base, contentOmitted: true };
}

/** Writes the entries of the requests a QueueModeSender holds. */
export class QueuedRequestJournal {
  private readonly wallClock: () => number;
  private readonly newId: () => string;
  private readonly maxResultBytes: number;
  /** Id → the tail of its writes (and whether the final one is queued), until they are done. */
  private readonly live = new Map<string, { tail: Promise<unknown>; final: boolean }>();
  private closed = false;

  constructor(
    readonly store: QueuedRequestStore,
    private readonly options: QueuedRequestJournalOptions = {},
  ) {
    this.wallClock = options.wallClock ?? Date.now;
    this.newId = options.newId ?? (() => randomBytes(12).toString('base64url'));
    this.maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  }

  /** Wall-clock now. */
  now(): number {
    return this.wallClock();
  }

  /** Stores a new queued entry; `stored` resolves true once it is durable, false when the write failed. */
  create(
    reg: Registration,
    request: DownlinkRequest,
    timeoutMs: number,
  ): { id: string; stored: Promise<boolean> } {
    const now = this.wallClock();
    const id = this.newId();
    const stored = this.store
      .add({
        id,
        registrationId: reg.id,
        endpoint: reg.endpoint,
        request,
        createdAt: now,
        deadlineAt: now + timeoutMs,
        status: 'queued',
        updatedAt: now,
      })
      .then(
        () => true,
        (e: unknown) => {
          this.live.delete(id);
          this.warn(e);
          return false;
        },
      );
    this.live.set(id, { tail: stored, final: false });
    return { id, stored };
  }

  /** Follows an entry loaded from the store (re-armed after a restart). */
  adopt(id: string): void {
    this.live.set(id, { tail: Promise.resolve(), final: false });
  }

  /** Resolves once every write queued so far for `id` is done. */
  idle(id: string): Promise<void> {
    return (this.live.get(id)?.tail ?? Promise.resolve()).then(() => undefined);
  }

  /** The entry is on the wire (`sent`) or back in the queue (`queued`). */
  mark(id: string, status: 'sent' | 'queued'): void {
    this.chain(id, () => this.store.update(id, { status, updatedAt: this.wallClock() }), false);
  }

  /** The entry reached a final status; `response` becomes its result. */
  finish(id: string, status: QueuedRequestStatus, response?: ResponseBase): void {
    const result = response === undefined ? undefined : resultOf(response, this.maxResultBytes);
    this.chain(
      id,
      async () => {
        const { record } = await this.store.update(id, {
          status,
          updatedAt: this.wallClock(),
          ...(result === undefined ? {} : { result }),
        });
        if (record) this.options.onDone?.(record);
      },
      true,
    );
  }

  /** Stops writing: entries not final stay as they are in the store (re-armed at the next start). */
  close(): void {
    this.closed = true;
    this.live.clear();
  }

  private chain(id: string, write: () => Promise<unknown>, last: boolean): void {
    const entry = this.live.get(id);
    if (this.closed || entry === undefined || entry.final) return;
    const next = entry.tail.then(write).catch((e: unknown) => this.warn(e));
    entry.tail = next;
    if (!last) return;
    entry.final = true;
    void next.then(() => {
      if (this.live.get(id) === entry) this.live.delete(id);
    });
  }

  private warn(e: unknown): void {
    this.options.onError?.(e instanceof Error ? e : new Error(String(e)));
  }
}
