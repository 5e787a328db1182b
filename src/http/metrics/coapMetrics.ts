// RFC 7252 / RFC 7959 endpoint metrics, summed over the endpoints `stats` lists (one per
// transport): retransmissions (4.2), duplicates (4.5), CON requests refused by a full per-peer
// queue, and what is held now: unacknowledged CONs, dedup entries, Block1 reassemblies and bytes.
import { Gauge } from 'prom-client';
import type { CoapEndpointStats } from '../../coap/CoapEndpoint.js';
import { mirroredCounter, type MetricsSource } from './MetricsSource.js';

type Field = keyof CoapEndpointStats;

/** The CoAP metrics source over the endpoints that `stats` returns the stats of. */
export const coapMetrics =
  (stats: () => readonly CoapEndpointStats[]): MetricsSource =>
  (registry) => {
    const sum = (field: Field) => (): number => stats().reduce((n, s) => n + s[field], 0);
    const gauge = (name: string, help: string, field: Field): void => {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(sum(field)());
        },
      });
    };
    mirroredCounter(
      registry,
      'coap_retransmissions_total',
      'CON messages sent again (no ACK yet)',
      sum('retransmissions'),
    );
    mirroredCounter(registry, 'coap_duplicates_total', 'Duplicate CoAP messages received', sum('duplicates'));
    gauge('coap_outstanding_cons', 'CON messages awaiting an ACK', 'outstandingCons');
    gauge('coap_dedup_entries', 'Entries of the duplicate-detection cache', 'dedupEntries');
    gauge('coap_blockwise_transfers', 'Open Block1 reassemblies', 'blockwiseTransfers');
    gauge('coap_blockwise_bytes', 'Bytes held by open Block1 reassemblies', 'blockwiseBytes');
  };
