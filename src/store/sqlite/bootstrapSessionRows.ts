// An ended BootstrapSessionRecord as one row of the bootstrap_sessions table: id, endpoint, state
// and times as columns, the rest (peer, format, steps, failure, discovered) as JSON. The reader is
// strict: a row of the wrong shape throws StoredJsonError.
import { arrayOf, intOf, objectOf, stringOf, StoredJsonError } from '../../lwm2m/nodeStoreJson.js';
import { REQUEST_FAILURES, type RequestFailure } from '../../lwm2m/responses.js';
import type {
  BootstrapSessionFailure,
  BootstrapSessionRecord,
  BootstrapStepRecord,
} from '../BootstrapSessionStore.js';

/** One row of bootstrap_sessions. */
export interface BootstrapSessionRow {
  id: string;
  endpoint: string;
  state: string;
  started_at: number;
  ended_at: number;
  record: string;
}

const FAILURES: ReadonlySet<string> = new Set(REQUEST_FAILURES);
const TIME_MAX = Number.MAX_SAFE_INTEGER;

function failureOf(v: unknown): { failure?: RequestFailure } {
  if (v === undefined) return {};
  if (typeof v !== 'string' || !FAILURES.has(v)) throw new StoredJsonError('unknown failure');
  return { failure: v as RequestFailure };
}

function stepOf(v: unknown): BootstrapStepRecord {
  const o = objectOf(v, 'step');
  if (typeof o['ok'] !== 'boolean') throw new StoredJsonError('step: ok is not a boolean');
  const durationMs = o['durationMs'];
  if (typeof durationMs !== 'number' || !(durationMs >= 0))
    throw new StoredJsonError('step: durationMs is not a number ≥ 0');
  return {
    name: stringOf(o['name'], 'step name'),
    ok: o['ok'],
    code: intOf(o['code'], 0, 255, 'step code'),
    ...failureOf(o['failure']),
    ...(o['diagnostic'] === undefined ? {} : { diagnostic: stringOf(o['diagnostic'], 'diagnostic') }),
    startedAt: intOf(o['startedAt'], 0, TIME_MAX, 'step startedAt'),
    durationMs,
  };
}

function sessionFailureOf(v: unknown): BootstrapSessionFailure {
  const o = objectOf(v, 'failure');
  return {
    step: stringOf(o['step'], 'failure step'),
    reason: stringOf(o['reason'], 'failure reason'),
    ...(o['code'] === undefined ? {} : { code: intOf(o['code'], 0, 255, 'failure code') }),
    ...failureOf(o['failure']),
  };
}

function discoveredOf(v: unknown): NonNullable<BootstrapSessionRecord['discovered']> {
  const o = objectOf(v, 'discovered');
  const version = o['lwm2mVersion'];
  return {
    ...(version === undefined ? {} : { lwm2mVersion: stringOf(version, 'lwm2mVersion') }),
    objectIds: arrayOf(o['objectIds'], 'objectIds').map((id) => intOf(id, 0, 65535, 'object id')),
    ...(o['objectIdsOmitted'] === undefined
      ? {}
      : { objectIdsOmitted: intOf(o['objectIdsOmitted'], 1, 65536, 'objectIdsOmitted') }),
  };
}

/** The record column of `r` (what the other columns do not hold). */
export function encodeBootstrapSession(r: BootstrapSessionRecord): string {
  return JSON.stringify({
    address: r.address,
    port: r.port,
    format: r.format,
    steps: r.steps,
    ...(r.failure === undefined ? {} : { failure: r.failure }),
    ...(r.discovered === undefined ? {} : { discovered: r.discovered }),
  });
}

/** The record of one row; throws when the row is not valid. */
export function decodeBootstrapSession(row: BootstrapSessionRow): BootstrapSessionRecord {
  if (row.state !== 'finished' && row.state !== 'failed')
    throw new StoredJsonError(`unknown session state ${row.state}`);
  const o = objectOf(JSON.parse(row.record), 'record');
  return {
    id: row.id,
    endpoint: row.endpoint,
    address: stringOf(o['address'], 'address'),
    port: intOf(o['port'], 0, 65535, 'port'),
    format: intOf(o['format'], 0, 65535, 'format'),
    state: row.state,
    startedAt: intOf(row.started_at, 0, TIME_MAX, 'startedAt'),
    endedAt: intOf(row.ended_at, 0, TIME_MAX, 'endedAt'),
    steps: arrayOf(o['steps'], 'steps').map(stepOf),
    ...(o['failure'] === undefined ? {} : { failure: sessionFailureOf(o['failure']) }),
    ...(o['discovered'] === undefined ? {} : { discovered: discoveredOf(o['discovered']) }),
  };
}
