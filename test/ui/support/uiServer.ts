// A real `lwm2m server` (runServer: LwM2M server + embedded Bootstrap-Server + REST API + web UI,
// memory stores) for the browser tests, on ephemeral ports of 127.0.0.1, optionally with API keys.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runServer, type RunningServer, type ServerCliOptions } from '../../../src/cli/serverCommand.js';

/** A running server for a UI test. */
export interface UiServer {
  readonly running: RunningServer;
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  /** coap://127.0.0.1:<port> of the LwM2M server. */
  readonly coapUri: string;
  /** coap://127.0.0.1:<port> of the embedded Bootstrap-Server. */
  readonly bootstrapUri: string;
  close(): Promise<void>;
}

/** Starts the server; with `apiKey`, the API (and the UI) need it (login). */
export async function startUiServer(
  options: { readonly apiKey?: string; readonly extra?: Partial<ServerCliOptions> } = {},
): Promise<UiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-ui-'));
  let apiKeysFile: string | undefined;
  if (options.apiKey !== undefined) {
    apiKeysFile = join(dir, 'keys');
    writeFileSync(apiKeysFile, `${options.apiKey}\n`);
  }
  const running = await runServer({
    coapPort: 0,
    coapAddress: '127.0.0.1',
    httpPort: 0,
    httpAddress: '127.0.0.1',
    bootstrapPort: 0,
    coaps: false,
    logLevel: 'silent',
    store: 'memory',
    drainDelay: 0,
    ...(apiKeysFile ? { apiKeysFile } : {}),
    ...options.extra,
  });
  const http = running.http.server.address() as AddressInfo;
  let closed = false;
  return {
    running,
    baseUrl: `http://127.0.0.1:${http.port}`,
    coapUri: `coap://127.0.0.1:${running.server.address().port}`,
    bootstrapUri: `coap://127.0.0.1:${running.bootstrap?.server.address().port ?? 0}`,
    close: async () => {
      if (closed) return;
      closed = true;
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
