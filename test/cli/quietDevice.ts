// The simulated-device settings the CLI tests share: any local port, LwM2M 1.1, no queue mode,
// SenML CBOR, and a simulator step long enough that no value changes during a test.
import type { SimulatedDeviceOptions } from '../../src/cli/simulatedDevice.js';

/** Every SimulatedDeviceOptions field but the endpoint and the server or bootstrap URI. */
export const QUIET_DEVICE = {
  localPort: 0,
  lifetime: 300,
  lwm2mVersion: '1.1',
  queue: false,
  format: 112,
  intervalMs: 60_000,
} as const satisfies Partial<SimulatedDeviceOptions>;
