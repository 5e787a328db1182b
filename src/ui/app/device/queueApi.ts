// The REST calls of the queue panel (Transport TS 1.1.1 section 6.5, Queue Mode): the requests
// held for a sleeping client, GET /api/clients/{ep}/queue, and DELETE .../queue/{id} to cancel one.
import { api } from '../api.js';

/** A held request (GET /api/clients/{ep}/queue). */
export interface QueuedRequestJson {
  readonly id: string;
  readonly operation: string;
  readonly paths: readonly string[];
  /** queued, sent, answered, expired, cancelled, failed */
  readonly status: string;
  readonly createdAt: string;
  readonly deadlineAt: string;
  readonly updatedAt: string;
  readonly result?: { readonly ok: boolean; readonly code?: string; readonly failure?: string };
}

const enc = encodeURIComponent;

export const listQueue = (endpoint: string) =>
  api<{ items: QueuedRequestJson[] }>('GET', `/clients/${enc(endpoint)}/queue`, { query: { limit: 100 } });

export const cancelQueued = (endpoint: string, id: string) =>
  api<undefined>('DELETE', `/clients/${enc(endpoint)}/queue/${enc(id)}`);

/** The outcome column: the response code, else the local failure. */
export const outcomeText = (r: QueuedRequestJson): string =>
  r.result ? (r.result.code ?? r.result.failure ?? (r.result.ok ? 'ok' : 'failed')) : '';
