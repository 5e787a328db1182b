// Node.js process metrics (prom-client's defaults): CPU, memory, heap, handles, and event-loop
// lag (`nodejs_eventloop_lag_seconds` at scrape time, and `nodejs_eventloop_lag_p99_seconds` and
// friends over a 10 ms resolution histogram since start).
import { collectDefaultMetrics } from 'prom-client';
import type { MetricsSource } from './MetricsSource.js';

/** The process metrics source. */
export const processMetrics = (): MetricsSource => (registry) =>
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
