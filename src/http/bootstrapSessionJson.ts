// Core TS 1.1.1 section 5.2.7 (Bootstrap Interface) sessions as the JSON of GET
// /api/bootstrap/sessions, in the conventions of the rest of the API (issue 12 item 10): ISO 8601
// wall-clock times, CoAP codes as "2.04", content formats by name.
import type { BootstrapSessionRecord, BootstrapStepRecord } from '../bootstrap/BootstrapSession.js';
import { formatName } from './formatNames.js';
import { coapCodeText } from './lwm2mReply.js';

const codeOf = (code: number | undefined): Record<string, string> =>
  code === undefined || code === 0 ? {} : { code: coapCodeText(code) };

/**
 * The JSON of a session. Session times are on the bootstrap server's clock; `clockNow` is that
 * clock's current time and `wallNow` Date.now(), as in registrationToJson.
 */
export function bootstrapSessionToJson(
  s: BootstrapSessionRecord,
  clockNow: number,
  wallNow: number,
): Record<string, unknown> {
  const iso = (t: number): string => new Date(Math.round(t - clockNow + wallNow)).toISOString();
  const step = (st: BootstrapStepRecord): Record<string, unknown> => ({
    name: st.name,
    ok: st.ok,
    ...codeOf(st.code),
    ...(st.failure === undefined ? {} : { failure: st.failure }),
    ...(st.diagnostic === undefined ? {} : { diagnostic: st.diagnostic }),
    startedAt: iso(st.startedAt),
    durationMs: st.durationMs,
  });
  return {
    id: s.id,
    endpoint: s.endpoint,
    address: s.address,
    port: s.port,
    format: formatName(s.format),
    state: s.state,
    startedAt: iso(s.startedAt),
    ...(s.endedAt === undefined ? {} : { endedAt: iso(s.endedAt) }),
    steps: s.steps.map(step),
    ...(s.failure === undefined
      ? {}
      : {
          failure: {
            step: s.failure.step,
            reason: s.failure.reason,
            ...codeOf(s.failure.code),
            ...(s.failure.failure === undefined ? {} : { failure: s.failure.failure }),
          },
        }),
    ...(s.discovered === undefined ? {} : { discovered: s.discovered }),
  };
}

/** OpenAPI schema of one session. */
export const bootstrapSessionSchema = {
  $id: 'BootstrapSession',
  type: 'object',
  required: ['id', 'endpoint', 'state', 'startedAt', 'steps'],
  properties: {
    id: { type: 'string' },
    endpoint: { type: 'string' },
    address: { type: 'string' },
    port: { type: 'integer' },
    format: { type: 'string', description: 'Content format of the writes, e.g. "tlv", "senml-cbor".' },
    state: { type: 'string', enum: ['running', 'finished', 'failed'] },
    startedAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time' },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          ok: { type: 'boolean' },
          code: { type: 'string', examples: ['2.04'] },
          failure: { type: 'string' },
          diagnostic: { type: 'string' },
          startedAt: { type: 'string', format: 'date-time' },
          durationMs: { type: 'number' },
        },
      },
    },
    failure: {
      type: 'object',
      properties: {
        step: { type: 'string' },
        reason: { type: 'string' },
        code: { type: 'string' },
        failure: { type: 'string' },
      },
    },
    discovered: { type: 'object' },
  },
} as const;
