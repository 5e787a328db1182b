// One line that says what an event of GET /api/events is about, from its JSON (the full JSON is
// one click away on the events page).
import type { ServerEventMessage } from '../events.js';
import type { RegistrationJson } from '../types.js';

const MAX_VALUE_TEXT = 80;

function short(v: unknown): string {
  const text = JSON.stringify(v) ?? '';
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 1)}…` : text;
}

/** The value of a node JSON of one resource, or the node itself, shortened. */
function valueText(content: unknown): string {
  if (content && typeof content === 'object' && 'value' in content)
    return short((content as { value: unknown }).value);
  return short(content);
}

const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : '');

export function eventSummary(e: ServerEventMessage): string {
  const d = e.data;
  const reg = d['registration'] as RegistrationJson | undefined;
  switch (e.type) {
    case 'registered':
    case 'updated':
      return reg
        ? `lifetime ${reg.lifetime} s, binding ${reg.binding}${reg.queueMode ? ' (queue)' : ''}, LwM2M ${reg.lwm2mVersion ?? '1.0'}, ${reg.objects?.length ?? 0} objects, from ${reg.address}:${reg.port}`
        : e.type;
    case 'deregistered':
      return 'the client sent De-register';
    case 'expired':
      return 'lifetime over without an update';
    case 'sleeping':
      return 'queue mode client went to sleep';
    case 'awake':
      return 'queue mode client is awake';
    case 'notification': {
      const seq = d['sequence'] === undefined ? '' : ` #${String(d['sequence'])}`;
      const content = d['content'] === undefined ? '' : ` = ${valueText(d['content'])}`;
      return `${list(d['paths'])}${seq}${content}`;
    }
    case 'send': {
      const groups = Array.isArray(d['data']) ? d['data'].length : 0;
      return `Send of ${groups} ${groups === 1 ? 'group' : 'groups'}${d['format'] ? ` (${String(d['format'])})` : ''}`;
    }
    case 'queuedRequestDone':
      return `${String(d['operation'] ?? 'request')} ${list(d['paths'])}: ${String(d['status'] ?? '')}`;
    default:
      return short(d);
  }
}
