// Many simulated devices for the UI tests: each registers over raw CoAP (bench/server's
// SimulatedClient: CON POST /rd, lt=86400, b=U) from its own socket on 127.0.0.1 (the server keys
// a registration by its source address and port), a bounded number at a time. Sockets of
// `registerMany` close once registered; the server keeps the registrations.
import { SimulatedClient } from '../../../bench/server/SimulatedClient.js';

const IN_FLIGHT = 64;

/** One device that stays open to de-register later. Close it when done. */
export async function openDevice(coapPort: number, endpoint: string, index = 0): Promise<SimulatedClient> {
  const client = new SimulatedClient(endpoint, { serverPort: coapPort }, index);
  try {
    await client.bind('127.0.0.1', 0);
    return client;
  } catch (e) {
    client.close();
    throw e;
  }
}

/** Registers every endpoint of `names` (each from its own socket), IN_FLIGHT at a time. */
export async function registerMany(coapPort: number, names: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next++;
      const client = await openDevice(coapPort, names[i]!, i);
      try {
        await client.register();
      } finally {
        client.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, names.length) }, worker));
}
