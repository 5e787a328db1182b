// `lwm2m_limits_hit_total{limit}` (issue 12: every limit is counted when it bites). Sources of
// running totals per limit name are listed once; a new limit is a new entry of a reader's record.
import { Counter } from 'prom-client';
import { Code } from '../../coap/CoapMessage.js';
import type { Lwm2mServer } from '../../server/Lwm2mServer.js';
import type { MetricsSource } from './MetricsSource.js';

/** Running totals by limit name (each total only grows). */
export type LimitTotals = () => Readonly<Record<string, number>>;

/**
 * The limits an Lwm2mServer enforces today: registration payloads over their size (4.13),
 * registrations refused for capacity (5.03), requests refused by a sleeping client's full queue,
 * and CoAP requests refused by a full per-peer queue.
 */
export function serverLimitTotals(server: Lwm2mServer): LimitTotals {
  const rejected = { registration_size: 0, registration_capacity: 0 };
  server.on('registrationRejected', (e) => {
    if (e.code === Code.REQUEST_ENTITY_TOO_LARGE) rejected.registration_size++;
    else if (e.code === Code.SERVICE_UNAVAILABLE) rejected.registration_capacity++;
  });
  return () => ({
    ...rejected,
    queue_mode_per_client: server.stats().queueFullRefusals,
    coap_peer_queue: server.stats().coap.reduce((n, s) => n + s.queueFullRefusals, 0),
  });
}

/** The limits source over the given readers of totals. */
export const limitsMetrics =
  (readers: readonly LimitTotals[]): MetricsSource =>
  (registry) => {
    const last = new Map<string, number>();
    new Counter({
      name: 'lwm2m_limits_hit_total',
      help: 'Requests refused or state dropped because a configured limit was reached, by limit',
      labelNames: ['limit'] as const,
      registers: [registry],
      collect() {
        for (const read of readers)
          for (const [limit, total] of Object.entries(read())) {
            const grew = total - (last.get(limit) ?? 0);
            this.inc({ limit }, grew > 0 ? grew : 0);
            last.set(limit, total);
          }
      },
    });
  };
