// DTLS 1.2 metrics (issue 13; RFC 6347): per role that serves a DTLS port (`role` label: server
// or bootstrap), handshakes completed and failed, HelloVerifyRequests sent (cookie exchanges:
// a flood of spoofed ClientHellos shows here, and nothing else grows), records dropped, sessions
// resumed, and what is held now: handshakes in progress, connections, cached sessions.
import { Counter, Gauge } from 'prom-client';
import type { DtlsUsage } from '../../transport/dtls/DtlsTransportOptions.js';
import type { MetricsSource } from './MetricsSource.js';

/** A role's DTLS transport, read at scrape time (undefined: the role has no DTLS port). */
export interface DtlsMetricsTarget {
  readonly role: 'server' | 'bootstrap';
  readonly usage: () => DtlsUsage | undefined;
}

type CounterField =
  'handshakesCompleted' | 'handshakesFailed' | 'helloVerifyRequests' | 'dropped' | 'sessionsResumed';
type GaugeField = 'handshakesInProgress' | 'connections' | 'cachedSessions';

const COUNTERS: ReadonlyArray<readonly [string, string, CounterField]> = [
  [
    'dtls_handshakes_completed_total',
    'DTLS handshakes completed (full and abbreviated)',
    'handshakesCompleted',
  ],
  ['dtls_handshakes_failed_total', 'DTLS handshakes that failed or timed out', 'handshakesFailed'],
  [
    'dtls_hello_verify_requests_total',
    'HelloVerifyRequests sent (stateless cookie exchanges)',
    'helloVerifyRequests',
  ],
  [
    'dtls_dropped_total',
    'DTLS datagrams or records dropped (malformed, unauthenticated, replayed, over a bound)',
    'dropped',
  ],
  ['dtls_sessions_resumed_total', 'DTLS sessions resumed (abbreviated handshakes)', 'sessionsResumed'],
];
const GAUGES: ReadonlyArray<readonly [string, string, GaugeField]> = [
  ['dtls_handshakes_in_progress', 'DTLS handshakes in progress', 'handshakesInProgress'],
  ['dtls_connections', 'Established DTLS connections', 'connections'],
  ['dtls_cached_sessions', 'Resumable DTLS sessions cached', 'cachedSessions'],
];

/** The DTLS metrics source over `targets` (roles without a DTLS port report nothing). */
export const dtlsMetrics =
  (targets: readonly DtlsMetricsTarget[]): MetricsSource =>
  (registry) => {
    for (const [name, help, field] of COUNTERS) {
      // mirrors the transports' running totals: each scrape adds what they grew by
      const last = new Map<string, number>();
      new Counter({
        name,
        help,
        labelNames: ['role'],
        registers: [registry],
        collect() {
          for (const t of targets) {
            const now = t.usage()?.[field];
            if (now === undefined) continue;
            const before = last.get(t.role) ?? 0;
            if (now > before) this.inc({ role: t.role }, now - before);
            last.set(t.role, now);
          }
        },
      });
    }
    for (const [name, help, field] of GAUGES)
      new Gauge({
        name,
        help,
        labelNames: ['role'],
        registers: [registry],
        collect() {
          for (const t of targets) {
            const u = t.usage();
            if (u) this.set({ role: t.role }, u[field]);
          }
        },
      });
  };
