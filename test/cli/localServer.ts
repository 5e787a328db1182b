// The `lwm2m server` settings the CLI tests share: CoAP and the REST API on 127.0.0.1, ephemeral
// ports, info logs (each test passes its own captured logger).
import type { ServerCliOptions } from '../../src/cli/serverCommand.js';

/** Local, ephemeral-port settings, with `extra` on top. */
export const localServer = (extra: Partial<ServerCliOptions> = {}): ServerCliOptions => ({
  coapPort: 0,
  coapAddress: '127.0.0.1',
  httpPort: 0,
  httpAddress: '127.0.0.1',
  logLevel: 'info',
  ...extra,
});
