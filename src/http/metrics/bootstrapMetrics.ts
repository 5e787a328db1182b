// Bootstrap-Server metrics (Core TS 1.1.1 section 5.2.7 / 6.1): sessions by outcome.
import { Counter } from 'prom-client';
import type { BootstrapServer } from '../../bootstrap/BootstrapServer.js';
import type { MetricsSource } from './MetricsSource.js';

/** The Bootstrap-Server metrics source. */
export const bootstrapMetrics =
  (server: BootstrapServer): MetricsSource =>
  (registry) => {
    const sessions = new Counter({
      name: 'lwm2m_bootstrap_sessions_total',
      help: 'Bootstrap sessions by result (started, finished, failed)',
      labelNames: ['result'] as const,
      registers: [registry],
    });
    for (const result of ['started', 'finished', 'failed']) sessions.inc({ result }, 0);
    server.on('sessionStarted', () => sessions.inc({ result: 'started' }));
    server.on('sessionFinished', () => sessions.inc({ result: 'finished' }));
    server.on('sessionFailed', () => sessions.inc({ result: 'failed' }));
  };
