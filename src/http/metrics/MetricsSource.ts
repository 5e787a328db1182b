// Prometheus metrics (issue 12 item 12): one registry per process, filled by sources. A source
// registers its metrics on the registry, fed by events (counters) or read at scrape time from a
// read-only stats accessor (gauges, totals); adding a source is one entry in the list given to
// createMetricsRegistry. Names follow the Prometheus conventions: `lwm2m_` / `coap_` prefix,
// `_total` on counters, base units. No metric is labelled by endpoint name (one series per
// device would swamp Prometheus); label values come from small fixed sets.
import { Counter, Registry } from 'prom-client';

/** Registers some metrics on `registry`. */
export type MetricsSource = (registry: Registry) => void;

/** A registry holding the metrics of every source. */
export function createMetricsRegistry(sources: readonly MetricsSource[]): Registry {
  const registry = new Registry();
  for (const source of sources) source(registry);
  return registry;
}

/**
 * A counter that mirrors a running total kept elsewhere (e.g. `CoapEndpoint.stats()`): at each
 * scrape it adds what the total grew by since the last one.
 */
export function mirroredCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  let last = 0;
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > last) this.inc(now - last);
      last = now;
    },
  });
}
