// The `lwm2m client` command's log (issue 5 item 7): one line per thing a server did to the
// simulated device (LwM2M Core TS 1.1.1 section 5.4 operations, section 6 registration) and per
// Firmware Update state change (Appendix E.6), e.g. "<- write /5/0/1 from 127.0.0.1:5683 (ssid 1)
// -> 2.04"; clientCommand.ts writes them as pino entries (time and level added by logger.ts).
import { retryText, type AttemptFailure } from '../client/attemptFailure.js';
import type { DmRequestEvent } from '../client/createDmHandler.js';
import type { UpdatePlan } from '../client/planRegistrationUpdate.js';
import type { DownlinkRequest } from '../lwm2m/requests.js';
import { formatCode } from '../coap/CoapMessage.js';

/** Writes one log line. */
export type LogLine = (line: string) => void;

const STATES = ['Idle', 'Downloading', 'Downloaded', 'Updating'];
const RESULTS = [
  'initial',
  'success',
  'not enough flash',
  'out of RAM',
  'connection lost',
  'integrity check failure',
  'unsupported package type',
  'invalid URI',
  'update failed',
  'unsupported protocol',
  'cancelled',
];

/** What a request targets: its path, or its paths for composite operations. */
function target(r: DownlinkRequest): string {
  if ('path' in r) return r.path.toString();
  if ('paths' in r) return r.paths.map((p) => p.toString()).join(',');
  return r.nodes.map((n) => n.path.toString()).join(',');
}

/** The line for one DM request. */
export function requestLine(e: DmRequestEvent): string {
  const from = `${e.peer.family === 'IPv6' ? `[${e.peer.address}]` : e.peer.address}:${e.peer.port}`;
  const what = e.request ? `${e.request.kind} ${target(e.request)}` : 'unparsable request';
  const args = e.request?.kind === 'execute' && e.request.arguments ? ` args=${e.request.arguments}` : '';
  return `<- ${what}${args} from ${from} (ssid ${e.ssid}) -> ${formatCode(e.code)}`;
}

/** The line for a registration update. */
export function updateLine(ssid: number, plan: UpdatePlan): string {
  const parts: string[] = [];
  if (plan.lifetime !== undefined) parts.push(`lt=${plan.lifetime}`);
  if (plan.binding !== undefined) parts.push(`b=${plan.binding}`);
  if (plan.objects !== undefined) parts.push('objects');
  return `registration updated (ssid ${ssid})${parts.length ? ': ' + parts.join(' ') : ''}`;
}

/** The line for a failed Register, Update or Bootstrap-Request attempt, with when the next is due. */
export function attemptLine(f: AttemptFailure): string {
  const who =
    f.operation === 'bootstrap' || f.operation === 'bootstrapPack'
      ? 'bootstrap attempt failed'
      : `registration attempt failed (ssid ${f.ssid})`;
  return `${who}: ${f.reason}; ${retryText(f)}`;
}

/** The line for a firmware state change. */
export function firmwareLine(state: number, result: number): string {
  return `firmware: state ${STATES[state] ?? state}, update result ${result} (${RESULTS[result] ?? 'unknown'})`;
}
