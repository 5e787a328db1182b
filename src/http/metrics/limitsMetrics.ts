// `lwm2m_limits_hit_total{limit}` (issue 12: every limit is counted when it bites). Sources of
// running totals per limit name are listed once; a new limit is a new entry of a reader's record.
import { Counter, Gauge } from 'prom-client';
import type { Lwm2mServer } from '../../server/Lwm2mServer.js';
import type { MetricsSource } from './MetricsSource.js';

/** Running totals by limit name (each total only grows). */
export type LimitTotals = () => Readonly<Record<string, number>>;

/** `registrationBytes` → `registration_bytes`: Prometheus label values in the metrics' style. */
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The limits an Lwm2mServer enforces: every bound of `server.limits()` (README "Limits":
 * registrations, registration_bytes, registration_rate, observations_per_client,
 * notification_rate, peers, blockwise_bytes), plus requests refused by a sleeping client's full
 * queue (queue_mode_per_client) and CoAP requests refused by a full per-peer queue (coap_peer_queue).
 */
export function serverLimitTotals(server: Lwm2mServer): LimitTotals {
  return () => {
    const totals: Record<string, number> = {};
    for (const [name, status] of Object.entries(server.limits())) totals[snake(name)] = status.hits;
    const stats = server.stats();
    totals['queue_mode_per_client'] = stats.queueFullRefusals;
    totals['coap_peer_queue'] = stats.coap.reduce((n, c) => n + c.queueFullRefusals, 0);
    return totals;
  };
}

/** `lwm2m_limit_max{limit}` and `lwm2m_limit_usage{limit}`: each bound of server.limits() and its use now. */
export const limitLevelsMetrics =
  (server: Lwm2mServer): MetricsSource =>
  (registry) => {
    const gauge = (name: string, help: string, pick: (s: { max: number; usage: number }) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['limit'] as const,
        registers: [registry],
        collect() {
          for (const [limit, status] of Object.entries(server.limits()))
            this.set({ limit: snake(limit) }, pick(status));
        },
      });
    gauge(
      'lwm2m_limit_max',
      'The configured bound of each limit (a count, bytes, or a rate per second)',
      (s) => s.max,
    );
    gauge('lwm2m_limit_usage', 'What each limit has in use now (see README "Limits")', (s) => s.usage);
  };

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
