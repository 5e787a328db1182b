// LwM2M Core TS 1.1.1 Appendix E.5 (Connectivity Monitoring, object 4), E.7 (Location, object 6)
// and E.8 (Connectivity Statistics, object 7): instances with their mandatory resources filled.
import { CONNECTIVITY_MONITORING_1_2 } from '../../model/core/connectivityMonitoring.js';
import { CONNECTIVITY_STATISTICS_1_0 } from '../../model/core/connectivityStatistics.js';
import { LOCATION_1_0 } from '../../model/core/location.js';
import { declareInstance, type DeclaredInstance, type PlainResource } from '../declareInstance.js';

/** Connectivity Monitoring settings (bearer codes per E.5: 0 GSM … 21 WLAN, 41 Ethernet). */
export interface ConnectivityMonitoringOptions {
  readonly networkBearer?: number;
  readonly availableBearers?: readonly number[];
  readonly signalStrength?: number;
  readonly linkQuality?: number;
  readonly ipAddresses?: readonly string[];
}

/** The Connectivity Monitoring instance (id 0). */
export function connectivityMonitoringInstance(o: ConnectivityMonitoringOptions = {}): DeclaredInstance {
  const values: Record<number, PlainResource> = {
    0: o.networkBearer ?? 41,
    1: o.availableBearers ?? [o.networkBearer ?? 41],
    2: o.signalStrength ?? 0,
    4: o.ipAddresses ?? ['127.0.0.1'],
  };
  if (o.linkQuality !== undefined) values[3] = o.linkQuality;
  return declareInstance(CONNECTIVITY_MONITORING_1_2, 0, values);
}

/** Location settings. */
export interface LocationOptions {
  readonly latitude: number;
  readonly longitude: number;
  readonly altitude?: number;
  readonly timestamp?: Date;
}

/** The Location instance (id 0); update it with set(0, lat), set(1, lon), set(5, time). */
export function locationInstance(o: LocationOptions): DeclaredInstance {
  const values: Record<number, PlainResource> = {
    0: { type: 'float', value: o.latitude },
    1: { type: 'float', value: o.longitude },
    5: o.timestamp ?? new Date(0),
  };
  if (o.altitude !== undefined) values[2] = { type: 'float', value: o.altitude };
  return declareInstance(LOCATION_1_0, 0, values);
}

/** Connectivity Statistics: counters the application adds to while collection runs. */
export interface ConnectivityStatistics {
  readonly instance: DeclaredInstance;
  /** True between Start (6) and Stop (7). */
  readonly collecting: () => boolean;
  /** Counts a datagram sent (`tx`) or received, when collecting. */
  count(direction: 'tx' | 'rx', bytes: number): void;
}

/** The Connectivity Statistics instance (id 0): Start resets and starts the counters, Stop stops them. */
export function connectivityStatistics(): ConnectivityStatistics {
  let on = false;
  let tx = 0;
  let rx = 0;
  let max = 0;
  let messages = 0;
  let total = 0;
  const publish = (): void => {
    inst.set(2, Math.ceil(tx / 1024));
    inst.set(3, Math.ceil(rx / 1024));
    inst.set(4, max);
    inst.set(5, messages === 0 ? 0 : Math.round(total / messages));
  };
  const inst: DeclaredInstance = declareInstance(
    CONNECTIVITY_STATISTICS_1_0,
    0,
    { 2: 0, 3: 0, 4: 0, 5: 0 },
    {
      execute: {
        6: () => {
          tx = rx = max = messages = total = 0;
          on = true;
          publish();
        },
        7: () => void (on = false),
      },
    },
  );
  return {
    instance: inst,
    collecting: () => on,
    count(direction, bytes) {
      if (!on) return;
      if (direction === 'tx') tx += bytes;
      else rx += bytes;
      max = Math.max(max, bytes);
      messages++;
      total += bytes;
      publish();
    },
  };
}
