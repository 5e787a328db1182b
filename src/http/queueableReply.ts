// Issue 14 item 4 (Transport TS 1.1.1 section 6.5, Queue Mode): `?wait=false` on an operation route.
// When the client sleeps and the request is queued, the API answers 202 at once with the id of the
// stored entry and its Location (GET .../queue/{id} shows what became of it), instead of holding
// the HTTP request open until the client wakes. An awake client is answered as usual.
import type { ClientContext } from './clientContext.js';
import type { HttpReply } from './lwm2mReply.js';
import type { Schema } from './schemas.js';

/** `?wait=`. */
export const waitQuery: Schema = {
  type: 'boolean',
  default: true,
  description:
    "false: when the client sleeps (Queue Mode), answer 202 with the id of the queued request at once (see GET .../queue/{id}) instead of waiting; the deadline is then the server's queued-request timeout unless ?timeout= is given.",
};

/** The body of a 202. */
export const queuedReplySchema: Schema = {
  type: 'object',
  description: 'Queued for the sleeping client (?wait=false); Location names the queue entry.',
  properties: { id: { type: 'string' }, status: { type: 'string', examples: ['queued'] } },
};

/** A reply, with the Location of a 202. */
export interface QueueableReply extends HttpReply {
  readonly location?: string;
}

/**
 * Runs `handler` with `ctx`; with `wait` false and a sleeping client, resolves with 202 as soon as
 * the request is queued (the handler's own reply is then dropped). `queueUrl` makes the Location.
 */
export async function runQueueable(
  ctx: ClientContext,
  options: { readonly wait: boolean; readonly timeoutGiven: boolean },
  handler: (ctx: ClientContext) => Promise<HttpReply>,
  queueUrl: (id: string) => string,
): Promise<QueueableReply> {
  if (options.wait || !ctx.sleeping) return handler(ctx);
  let accept: (id: string) => void = () => undefined;
  const queued = new Promise<string>((resolve) => (accept = resolve));
  const sendOptions = { ...(options.timeoutGiven ? ctx.sendOptions : {}), onQueued: accept };
  const done = handler({ ...ctx, sendOptions });
  const first = await Promise.race([done.then((reply) => ({ reply })), queued.then((id) => ({ id }))]);
  if ('reply' in first) return first.reply;
  // The request goes on without this HTTP exchange; its outcome goes to the queue entry.
  done.catch(() => undefined);
  return { status: 202, body: { id: first.id, status: 'queued' }, location: queueUrl(first.id) };
}
