// LwM2M Core TS 1.1.1 section 6.2 / Transport TS 1.1.1 section 6.3: what an operator needs to know
// about a refused Register, Update or De-register (the request, its source and the answer), for
// logs and metrics. Values a peer chose are cut short: a log line must not grow with hostile input.
import { Code, formatCode } from '../coap/CoapMessage.js';
import type { IncomingRequest, OutgoingResponse } from '../coap/Router.js';
import { decodeText } from '../binding/diagnostic.js';
import type { RegistrationRejectedEvent } from './Lwm2mServerEvents.js';

const MAX_ID_CHARS = 64;
const MAX_REASON_CHARS = 200;

/** The event for `req`, answered with the error response `res`. */
export function rejectedEvent(req: IncomingRequest, res: OutgoingResponse): RegistrationRejectedEvent {
  const id = req.path[1];
  const operation = id === undefined ? 'register' : req.method === Code.DELETE ? 'deregister' : 'update';
  const ep = req.query.find((q) => q.startsWith('ep='))?.slice(3);
  const text = res.payload ? decodeText(res.payload) : undefined;
  return {
    operation,
    ...(operation === 'register' && ep !== undefined ? { endpoint: ep.slice(0, MAX_ID_CHARS) } : {}),
    ...(id !== undefined ? { registrationId: id.slice(0, MAX_ID_CHARS) } : {}),
    address: req.peer.address,
    port: req.peer.port,
    code: res.code,
    reason: (text ?? `answered ${formatCode(res.code)}`).slice(0, MAX_REASON_CHARS),
  };
}
