// LwM2M Server metrics (Core TS 1.1.1 section 6.2 registrations, 5.4-5.5 requests, 6.4
// notifications and Send; Transport TS Queue Mode): counters fed by the server's events, gauges
// read at scrape time. Labels: `event`, `operation` (the request kind) and `result` (the CoAP
// code as "2.05", or the local failure such as "timeout"): small fixed sets, never the endpoint.
import { Counter, Gauge } from 'prom-client';
import { formatCode } from '../../coap/CoapMessage.js';
import type { ResponseBase } from '../../lwm2m/responses.js';
import type { Lwm2mServer } from '../../server/Lwm2mServer.js';
import type { MetricsSource } from './MetricsSource.js';

/**
 * The `result` label of a response. A client chooses its codes, so only classes 2, 4 and 5 keep
 * their detail (at most 96 values); anything else is "other".
 */
export function resultLabel(r: ResponseBase): string {
  if (r.failure !== undefined) return r.failure;
  const cls = r.code >> 5;
  return cls === 2 || cls === 4 || cls === 5 ? formatCode(r.code) : 'other';
}

/** The LwM2M Server metrics source. */
export const serverMetrics =
  (server: Lwm2mServer): MetricsSource =>
  (registry) => {
    const registers = [registry];
    new Gauge({
      name: 'lwm2m_registrations',
      help: 'Registered clients',
      registers,
      async collect() {
        this.set(await server.config.store.size());
      },
    });
    const events = new Counter({
      name: 'lwm2m_registration_events_total',
      help: 'Registration interface events (register, update, deregister, expire, reject)',
      labelNames: ['event'] as const,
      registers,
    });
    for (const e of ['register', 'update', 'deregister', 'expire', 'reject']) events.inc({ event: e }, 0);
    server.on('registered', () => events.inc({ event: 'register' }));
    server.on('updated', () => events.inc({ event: 'update' }));
    server.on('deregistered', () => events.inc({ event: 'deregister' }));
    server.on('expired', () => events.inc({ event: 'expire' }));
    server.on('registrationRejected', () => events.inc({ event: 'reject' }));
    const requests = new Counter({
      name: 'lwm2m_requests_total',
      help: 'Downlink requests that ended, by operation and result (CoAP code or local failure)',
      labelNames: ['operation', 'result'] as const,
      registers,
    });
    server.on('response', ({ request, response }) =>
      requests.inc({ operation: request.kind, result: resultLabel(response) }),
    );
    const notifications = new Counter({
      name: 'lwm2m_notifications_total',
      help: 'Notifications received',
      registers,
    });
    server.on('notification', () => notifications.inc());
    const sends = new Counter({
      name: 'lwm2m_send_total',
      help: 'Send operations received (/dp)',
      registers,
    });
    server.on('send', () => sends.inc());
    new Gauge({
      name: 'lwm2m_observations',
      help: 'Live observations',
      registers,
      collect() {
        this.set(server.stats().observations);
      },
    });
    new Gauge({
      name: 'lwm2m_queue_pending',
      help: 'Requests waiting for a sleeping Queue Mode client',
      registers,
      collect() {
        this.set(server.stats().queuedRequests);
      },
    });
  };
