// `lwm2m bootstrap`: runs a Bootstrap-Server (Core TS 1.1.1 section 5.2.7) on CoAP port 5783,
// with configs from `--config FILE` (README "Bootstrap configs") and/or the quick start
// `--server-uri coap://HOST:PORT` (every endpoint gets a NoSec account on that server), and an
// optional REST API. Logs every session line by line.
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { portOption, serveUntilSignal } from './cliOptions.js';
import type { FastifyInstance } from 'fastify';
import { BootstrapServer } from '../bootstrap/BootstrapServer.js';
import { codeText } from '../bootstrap/BootstrapSession.js';
import { createBootstrapHttpApi } from '../http/bootstrapApi.js';
import { DEFAULT_CONFIG_ENDPOINT, type BootstrapConfig } from '../lwm2m/BootstrapConfig.js';
import { parseBootstrapConfigFile } from '../lwm2m/bootstrapConfigJson.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { loadModelsDir } from './loadModelsDir.js';
import { MemoryBootstrapConfigStore } from '../store/memory/MemoryBootstrapConfigStore.js';
import {
  accessSummary,
  reachableHttpUrl,
  resolveHttpAccess,
  withHttpAccessOptions,
  type HttpAccessCliOptions,
} from './httpAccess.js';
import type { AddressInfo } from 'node:net';

/** The options of `lwm2m bootstrap`, checked. */
export interface BootstrapCliOptions extends HttpAccessCliOptions {
  readonly coapPort: number;
  readonly coapAddress: string;
  readonly httpPort?: number;
  readonly httpAddress: string;
  readonly config?: string;
  readonly serverUri?: string;
  /** A folder of DDF files (*.xml) loaded over the core objects. */
  readonly models?: string;
}

/** Adds the command's options to `cmd`. */
function withOptions(cmd: Command): Command {
  return withHttpAccessOptions(cmd)
    .option('--coap-port <port>', 'UDP port of the Bootstrap-Server', portOption, 5783)
    .option('--coap-address <address>', 'local address to bind CoAP to', '::')
    .option(
      '--http-port <port>',
      'serve the bootstrap REST API (/api/bootstrap/...) on this port',
      portOption,
    )
    .option('--http-address <address>', 'local address of the REST API', '127.0.0.1')
    .option('--config <file>', 'per-endpoint bootstrap configs (JSON; "*" is the default config)')
    .option('--server-uri <uri>', 'quick start: bootstrap every endpoint to this LwM2M server with NoSec')
    .option(
      '--models <dir>',
      'load the object models (DDF *.xml files) of this folder over the core objects',
    );
}

/** Checks parsed options: at least one of --config and --server-uri. Throws InvalidArgumentError. */
export function checkBootstrapOptions(raw: Record<string, unknown>): BootstrapCliOptions {
  const o = raw as Partial<BootstrapCliOptions>;
  if (o.config === undefined && o.serverUri === undefined)
    throw new InvalidArgumentError('give --config FILE, --server-uri coap://HOST:PORT, or both');
  if (o.serverUri !== undefined) quickStartConfig(o.serverUri); // fails early on a bad URI
  return {
    coapPort: o.coapPort ?? 5783,
    coapAddress: o.coapAddress ?? '::',
    httpAddress: o.httpAddress ?? '127.0.0.1',
    ...(o.httpPort === undefined ? {} : { httpPort: o.httpPort }),
    ...(o.config === undefined ? {} : { config: o.config }),
    ...(o.serverUri === undefined ? {} : { serverUri: o.serverUri }),
    ...(o.models === undefined ? {} : { models: o.models }),
    ...(o.apiKeysFile === undefined ? {} : { apiKeysFile: o.apiKeysFile }),
    ...(o.httpHost === undefined ? {} : { httpHost: o.httpHost }),
    ...(o.httpOrigin === undefined ? {} : { httpOrigin: o.httpOrigin }),
    ...(o.insecure === undefined ? {} : { insecure: o.insecure }),
  };
}

/** Parses `lwm2m bootstrap` arguments (without the command name); throws on bad ones. */
export function parseBootstrapArgs(args: readonly string[]): BootstrapCliOptions {
  const cmd = withOptions(new Command('bootstrap'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.parse([...args], { from: 'user' });
  return checkBootstrapOptions(cmd.opts());
}

/**
 * The quick-start config for `--server-uri`: delete /0 and /1, then Security instance 1 (instance
 * 0 is where clients usually keep their bootstrap account, which Bootstrap-Delete keeps) = NoSec
 * account on `uri` with Short Server ID 1, and Server instance 0 (ssid 1, lifetime 300 s, binding U).
 */
export function quickStartConfig(uri: string): BootstrapConfig {
  if (!/^coap:\/\/[^/?#\s]+$/.test(uri))
    throw new InvalidArgumentError(
      `--server-uri must look like coap://HOST:PORT (NoSec), not "${uri.slice(0, 80)}"`,
    );
  return {
    delete: ['/0', '/1'],
    security: { 1: { uri, bootstrapServer: false, securityMode: 'nosec', shortServerId: 1 } },
    servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
  };
}

/** The configs the options name: the file's, plus the quick start as default unless the file has one. */
export async function loadConfigs(
  o: BootstrapCliOptions,
  models: ModelLookup,
): Promise<Map<string, BootstrapConfig>> {
  const configs = new Map<string, BootstrapConfig>();
  if (o.config !== undefined) {
    const text = await readFile(o.config, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new InvalidArgumentError(`${o.config} is not JSON: ${(e as Error).message}`);
    }
    for (const [ep, c] of parseBootstrapConfigFile(json, models)) configs.set(ep, c);
  }
  if (o.serverUri !== undefined && !configs.has(DEFAULT_CONFIG_ENDPOINT))
    configs.set(DEFAULT_CONFIG_ENDPOINT, quickStartConfig(o.serverUri));
  return configs;
}

/** A running `lwm2m bootstrap`. */
export interface RunningBootstrap {
  readonly server: BootstrapServer;
  readonly http?: FastifyInstance;
  stop(): Promise<void>;
}

/**
 * Starts the Bootstrap-Server (and REST API) the options describe, logging sessions through `log`.
 * Its models are `models` when given (e.g. the LwM2M server's), else loaded from `o.models`.
 */
export async function runBootstrap(
  o: BootstrapCliOptions,
  log: (line: string) => void = console.log,
  models?: ModelRegistry,
): Promise<RunningBootstrap> {
  const access = o.httpPort === undefined ? {} : await resolveHttpAccess(o, o.httpAddress);
  models ??= await loadModelsDir(o.models);
  const configStore = new MemoryBootstrapConfigStore(await loadConfigs(o, models));
  const server = await BootstrapServer.start({
    port: o.coapPort,
    address: o.coapAddress,
    configStore,
    models,
  });
  server.on('sessionStarted', (s) =>
    log(`${s.id} ${s.endpoint} from ${s.address}:${s.port}: bootstrap started (format ${s.format})`),
  );
  server.on('step', ({ session, step }) =>
    log(
      `${session.id} ${session.endpoint}: ${step.name} -> ${step.code ? codeText(step.code) : step.failure}`,
    ),
  );
  server.on('sessionFinished', (s) => log(`${s.id} ${s.endpoint}: bootstrap finished`));
  server.on('sessionFailed', (s) =>
    log(`${s.id} ${s.endpoint}: bootstrap FAILED at ${s.failure?.step}: ${s.failure?.reason}`),
  );
  const bound = server.address();
  log(
    `LwM2M Bootstrap-Server on coap://${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`,
  );
  let http: FastifyInstance | undefined;
  if (o.httpPort !== undefined) {
    http = createBootstrapHttpApi(
      { configStore, sessions: () => server.sessions(), models, now: () => server.config.clock.now() },
      { access },
    );
    await http.listen({ port: o.httpPort, host: o.httpAddress });
    const bound = http.server.address() as AddressInfo;
    log(`bootstrap REST API on ${reachableHttpUrl(bound)}/api/bootstrap (${accessSummary(bound, access)})`);
  }
  return {
    server,
    ...(http ? { http } : {}),
    stop: async () => {
      await http?.close();
      await server.stop();
    },
  };
}

/** The `lwm2m bootstrap` command, to add to the program. */
export function bootstrapCommand(): Command {
  return withOptions(new Command('bootstrap'))
    .description('run an LwM2M Bootstrap-Server')
    .action((raw: Record<string, unknown>) =>
      serveUntilSignal('bootstrap', () => runBootstrap(checkBootstrapOptions(raw))),
    );
}
