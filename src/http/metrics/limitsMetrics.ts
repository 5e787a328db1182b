// `lwm2m_limits_hit_total{limit}` (issue 12: every limit is counted when it bites). Sources of
// running totals per limit name are listed once; a new limit is a new entry of a reader's record.
import { Counter, Gauge } from 'prom-client';
import type { LimitStatus } from '../../binding/LimitCounters.js';
import type { BootstrapServer } from '../../bootstrap/BootstrapServer.js';
import type { Lwm2mServer } from '../../server/Lwm2mServer.js';
import type { MetricsSource } from './MetricsSource.js';

/** Running totals by limit name (each total only grows). */
export type LimitTotals = () => Readonly<Record<string, number>>;

/** Each bound by its label value, with its maximum and use now. */
export type LimitLevels = () => Readonly<Record<string, LimitStatus>>;

/** `registrationBytes` → `registration_bytes`: Prometheus label values in the metrics' style. */
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The limits an Lwm2mServer enforces: every bound of `server.limits()` (README "Limits":
 * registrations, registration_bytes, registration_rate, observations_per_client,
 * notification_rate, peers, blockwise_bytes), plus requests refused by a sleeping client's full
 * queue (queue_mode_per_client) and CoAP requests refused by a full per-peer queue (coap_peer_queue).
 */
export function serverLimitTotals(server: Lwm2mServer): LimitTotals {
  const levels = serverLimitLevels(server);
  return () => {
    const totals = hitsOf(levels());
    const stats = server.stats();
    totals['queue_mode_per_client'] = stats.queueFullRefusals;
    totals['coap_peer_queue'] = stats.coap.reduce((n, c) => n + c.queueFullRefusals, 0);
    return totals;
  };
}

/** The bounds of `server.limits()` by label value. */
export function serverLimitLevels(server: Lwm2mServer): LimitLevels {
  return () => labelled(server.limits(), '');
}

/**
 * The bounds a BootstrapServer counts (README "Limits": its UDP receive buffers), labelled
 * `bootstrap_…` so they stand beside the LwM2M server's own in one process.
 */
export function bootstrapLimitLevels(server: BootstrapServer): LimitLevels {
  return () => labelled(server.limits(), 'bootstrap_');
}

/** Hits of a BootstrapServer's bounds, labelled as in bootstrapLimitLevels. */
export function bootstrapLimitTotals(server: BootstrapServer): LimitTotals {
  const levels = bootstrapLimitLevels(server);
  return () => hitsOf(levels());
}

function hitsOf(levels: Readonly<Record<string, LimitStatus>>): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [label, status] of Object.entries(levels)) totals[label] = status.hits;
  return totals;
}

function labelled(
  limits: Readonly<Record<string, LimitStatus>>,
  prefix: string,
): Record<string, LimitStatus> {
  const out: Record<string, LimitStatus> = {};
  for (const [name, status] of Object.entries(limits)) out[prefix + snake(name)] = status;
  return out;
}

/** `lwm2m_limit_max{limit}` and `lwm2m_limit_usage{limit}`: each bound of the given sources and its use now. */
export const limitLevelsMetrics =
  (sources: readonly LimitLevels[]): MetricsSource =>
  (registry) => {
    const gauge = (name: string, help: string, pick: (s: LimitStatus) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['limit'] as const,
        registers: [registry],
        collect() {
          for (const levels of sources)
            for (const [limit, status] of Object.entries(levels())) this.set({ limit }, pick(status));
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
