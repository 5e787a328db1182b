// What `lwm2m server` logs about its clients (Core TS 1.1.1 section 6.2 registration lifecycle,
// 6.4 notifications and Send, Transport TS Queue Mode): registrations coming and going at info,
// refused registration requests at warn (one line each, with reason and source), per-message
// traffic at debug. Fields only, no values or credentials: `endpoint`, `regId`, `source`.
import type { Lwm2mServer } from '../server/Lwm2mServer.js';
import type { Registration } from '../lwm2m/Registration.js';
import { formatCode } from '../coap/CoapMessage.js';
import type { Logger } from './logger.js';

/** "address:port", with IPv6 addresses in brackets. */
export function sourceText(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

const who = (r: Registration): { endpoint: string; regId: string } => ({ endpoint: r.endpoint, regId: r.id });

/** Logs `server`'s events through `log`. */
export function logServerEvents(server: Lwm2mServer, log: Logger): void {
  server.on('registered', ({ registration: r }) =>
    log.info(
      {
        ...who(r),
        source: sourceText(r.peer.address, r.peer.port),
        lwm2m: r.lwm2mVersion,
        lifetime: r.lifetime,
        ...(r.queueMode ? { queueMode: true } : {}),
      },
      'registered',
    ),
  );
  server.on('deregistered', ({ registration: r }) => log.info(who(r), 'deregistered'));
  server.on('expired', ({ registration: r }) => log.info(who(r), 'registration expired'));
  server.on('registrationRejected', (e) =>
    log.warn(
      {
        operation: e.operation,
        ...(e.endpoint !== undefined ? { endpoint: e.endpoint } : {}),
        ...(e.registrationId !== undefined ? { regId: e.registrationId } : {}),
        source: sourceText(e.address, e.port),
        code: formatCode(e.code),
        reason: e.reason,
      },
      'registration rejected',
    ),
  );
  server.on('updated', ({ registration: r }) => log.debug(who(r), 'registration updated'));
  server.on('sleeping', ({ registration: r }) => log.debug(who(r), 'sleeping'));
  server.on('awake', ({ registration: r }) => log.debug(who(r), 'awake'));
  server.on('notification', ({ registration: r, observation }) =>
    log.debug({ ...who(r), paths: observation.paths.map(String) }, 'notification'),
  );
  server.on('send', ({ registration: r, data }) =>
    log.debug({ ...who(r), values: data.reduce((n, g) => n + g.nodes.length, 0) }, 'send'),
  );
  server.on('warning', (e) => log.warn({ err: e }, e.message));
  // At most one event per limit per second (README "Limits"), so a flood cannot flood the log.
  server.on('limit', (e) =>
    log.warn(
      {
        limit: e.limit,
        max: e.max,
        refused: e.hits,
        total: e.total,
        ...(e.source !== undefined ? { source: e.source } : {}),
      },
      'limit reached',
    ),
  );
}
