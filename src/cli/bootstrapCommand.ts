// `lwm2m bootstrap`: runs a Bootstrap-Server (Core TS 1.1.1 section 5.2.7) on CoAP port 5783,
// with configs from `--config FILE` (README "Bootstrap configs") and/or the quick start
// `--server-uri coap://HOST:PORT` (every endpoint gets a NoSec account on that server), and an
// optional REST API (with /metrics, /healthz, /readyz). Logs every session (info; each step at
// debug). Settings also come from LWM2M_BOOTSTRAP_* variables and a --settings file
// (configSources.ts; --config is the bootstrap configs file).
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { logFormatOption, logLevelOption, portOption, serveUntilSignal } from './cliOptions.js';
import { applyConfigSources } from './configSources.js';
import {
  createLogger,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  type Logger,
  type LogLevel,
} from './logger.js';
import { sourceText } from './serverLog.js';
import { opsRoutes } from '../http/opsRoutes.js';
import { Readiness } from '../http/Readiness.js';
import { createMetricsRegistry } from '../http/metrics/MetricsSource.js';
import { processMetrics } from '../http/metrics/processMetrics.js';
import { dtlsMetrics } from '../http/metrics/dtlsMetrics.js';
import { bootstrapMetrics } from '../http/metrics/bootstrapMetrics.js';
import {
  bootstrapLimitLevels,
  bootstrapLimitTotals,
  limitLevelsMetrics,
  limitsMetrics,
} from '../http/metrics/limitsMetrics.js';
import type { FastifyInstance } from 'fastify';
import { BootstrapServer } from '../bootstrap/BootstrapServer.js';
import { createBootstrapHttpApi } from '../http/bootstrapApi.js';
import { mountWebUi, withUiSessions, withWebUiOption, type WebUiCliOptions } from './webUi.js';
import { DEFAULT_CONFIG_ENDPOINT, type BootstrapConfig } from '../lwm2m/BootstrapConfig.js';
import { parseBootstrapConfigFile } from '../lwm2m/bootstrapConfigJson.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { loadModelsDir } from './loadModelsDir.js';
import {
  openDataStores,
  seededConfigStore,
  seededSecurityStore,
  withDataStoreOptions,
  type DataStoreCliOptions,
  type DataStores,
} from './dataStores.js';
import {
  accessSummary,
  reachableHttpUrl,
  resolveHttpAccess,
  withHttpAccessOptions,
  type HttpAccessCliOptions,
} from './httpAccess.js';
import type { AddressInfo } from 'node:net';
import { COMMAND_SUMMARIES } from './commandSummaries.js';
import { formatCode } from '../coap/CoapMessage.js';
import { DEFAULT_BOOTSTRAP_COAPS_PORT } from '../bootstrap/BootstrapServer.js';
import type { SecurityStore } from '../store/SecurityStore.js';
import type { BootstrapConfigStore } from '../store/BootstrapConfigStore.js';
import {
  coapsPortOf,
  dtlsListenOptions,
  dtlsModesText,
  loadDtlsCertificate,
  loadSecurityStore,
  withSecurityOptions,
  type SecurityCliOptions,
} from './securityOptions.js';
import {
  receiveBufferLog,
  udpSocketText,
  withUdpSocketOption,
  type UdpSocketCliOptions,
} from './udpSocketOption.js';

/** The options of `lwm2m bootstrap`, checked. */
export interface BootstrapCliOptions
  extends
    HttpAccessCliOptions,
    SecurityCliOptions,
    DataStoreCliOptions,
    WebUiCliOptions,
    UdpSocketCliOptions {
  readonly coapPort: number;
  readonly coapAddress: string;
  readonly httpPort?: number;
  readonly httpAddress: string;
  readonly config?: string;
  readonly serverUri?: string;
  /** A folder of DDF files (*.xml) loaded over the core objects. */
  readonly models?: string;
  /** Default info. */
  readonly logLevel?: LogLevel;
  /** Default pretty. */
  readonly logFormat?: LogFormat;
  /** The settings file the options came from, if any. */
  readonly settings?: string;
}

/** Prefix of the environment variables of `lwm2m bootstrap` (LWM2M_BOOTSTRAP_COAP_PORT, ...). */
export const BOOTSTRAP_ENV_PREFIX = 'LWM2M_BOOTSTRAP_';

/** Adds the command's options to `cmd`. */
function withOptions(cmd: Command): Command {
  return withDataStoreOptions(
    withSecurityOptions(
      withUdpSocketOption(withWebUiOption(withHttpAccessOptions(cmd))),
      DEFAULT_BOOTSTRAP_COAPS_PORT,
    ),
  )
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
    .option('--models <dir>', 'load the object models (DDF *.xml files) of this folder over the core objects')
    .option('--log-level <level>', `one of ${LOG_LEVELS.join(', ')} (default: info)`, logLevelOption)
    .option('--log-format <format>', `one of ${LOG_FORMATS.join(', ')} (default: pretty)`, logFormatOption)
    .option('--settings <file>', 'read these options from a JSON file (keys: the options in camelCase)')
    .addHelpText(
      'after',
      `\nEvery option can also be set by the environment (${BOOTSTRAP_ENV_PREFIX} + the option in capitals,` +
        ` e.g. ${BOOTSTRAP_ENV_PREFIX}COAP_PORT=5784) or by the --settings file ({"coapPort": 5784}).` +
        '\nPrecedence: command line, then environment, then file, then defaults.',
    );
}

/** Options of the parsed `cmd`, completed from `env` and the --settings file, checked. */
function settingsOf(cmd: Command, env: Readonly<Record<string, string | undefined>>): BootstrapCliOptions {
  applyConfigSources(cmd, { env, envPrefix: BOOTSTRAP_ENV_PREFIX, fileOption: 'settings' });
  return checkBootstrapOptions(cmd.opts());
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
    ...(o.logLevel === undefined ? {} : { logLevel: o.logLevel }),
    ...(o.logFormat === undefined ? {} : { logFormat: o.logFormat }),
    ...(o.settings === undefined ? {} : { settings: o.settings }),
    ...(o.apiKeysFile === undefined ? {} : { apiKeysFile: o.apiKeysFile }),
    ...(o.httpHost === undefined ? {} : { httpHost: o.httpHost }),
    ...(o.httpOrigin === undefined ? {} : { httpOrigin: o.httpOrigin }),
    ...(o.insecure === undefined ? {} : { insecure: o.insecure }),
    ...(o.ui === undefined ? {} : { ui: o.ui }),
    ...(o.coapsPort === undefined ? {} : { coapsPort: o.coapsPort }),
    ...(o.coaps === undefined ? {} : { coaps: o.coaps }),
    ...(o.securityFile === undefined ? {} : { securityFile: o.securityFile }),
    ...(o.requireSecurity === undefined ? {} : { requireSecurity: o.requireSecurity }),
    ...(o.cert === undefined ? {} : { cert: o.cert }),
    ...(o.key === undefined ? {} : { key: o.key }),
    ...(o.ca === undefined ? {} : { ca: o.ca }),
    ...(o.store === undefined ? {} : { store: o.store }),
    ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }),
    ...(o.udpSocket === undefined ? {} : { udpSocket: o.udpSocket }),
    ...(o.udpReceiveBuffer === undefined ? {} : { udpReceiveBuffer: o.udpReceiveBuffer }),
    ...(o.udpSendThread === false ? { udpSendThread: false } : {}),
  };
}

/**
 * Parses `lwm2m bootstrap` arguments (without the command name), completed from `env` and the
 * --settings file; throws on bad ones.
 */
export function parseBootstrapArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): BootstrapCliOptions {
  const cmd = withOptions(new Command('bootstrap'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.parse([...args], { from: 'user' });
  return settingsOf(cmd, env);
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
  readonly log: Logger;
  /** GET /readyz answers 503 from now on (when there is a REST API). */
  drain(): void;
  stop(): Promise<void>;
}

/** Logs `server`'s sessions: start and end at info (a failure at warn), each step at debug; a limit that bit at warn. */
function logSessions(server: BootstrapServer, log: Logger): void {
  server.on('sessionStarted', (s) =>
    log.info(
      { session: s.id, endpoint: s.endpoint, source: sourceText(s.address, s.port), format: s.format },
      'bootstrap started',
    ),
  );
  server.on('step', ({ session, step }) =>
    log.debug(
      {
        session: session.id,
        endpoint: session.endpoint,
        step: step.name,
        result: step.code ? formatCode(step.code) : step.failure,
      },
      'bootstrap step',
    ),
  );
  server.on('sessionFinished', (s) =>
    log.info({ session: s.id, endpoint: s.endpoint }, 'bootstrap finished'),
  );
  server.on('packSent', (p) =>
    log.info(
      {
        endpoint: p.endpoint,
        source: sourceText(p.address, p.port),
        format: p.format,
        objects: p.objectIds.join(','),
        bytes: p.bytes,
      },
      'Bootstrap-Pack sent',
    ),
  );
  server.on('sessionFailed', (s) =>
    log.warn(
      { session: s.id, endpoint: s.endpoint, step: s.failure?.step, reason: s.failure?.reason },
      'bootstrap failed',
    ),
  );
  // At most one event per limit per second (README "Limits"), as the LwM2M server's.
  server.on('limit', (e) =>
    log.warn(
      { role: 'bootstrap', limit: e.limit, max: e.max, refused: e.hits, total: e.total },
      'limit reached',
    ),
  );
}

/**
 * Starts the Bootstrap-Server (and REST API) the options describe, logging sessions through `log`
 * (default: a logger built from the options). Its models are `models` when given (e.g. the
 * LwM2M server's), else loaded from `o.models`; its credentials `securityStore` when given (the
 * LwM2M server's), else those of `o.securityFile`. Its data (configs, ended sessions, and
 * credentials unless given) is kept in `data` when given (the LwM2M server's data file), else as `o.store` says, in
 * bootstrap.db of the data directory; a config store that is not the server's is closed at stop.
 */
export async function runBootstrap(
  o: BootstrapCliOptions,
  log: Logger = createLogger({ level: o.logLevel ?? 'info', format: o.logFormat ?? 'pretty' }),
  models?: ModelRegistry,
  securityStore?: SecurityStore,
  data?: DataStores,
): Promise<RunningBootstrap> {
  const access = o.httpPort === undefined ? {} : withUiSessions(o, await resolveHttpAccess(o, o.httpAddress));
  models ??= await loadModelsDir(o.models);
  const configs = await loadConfigs(o, models);
  const fromFile = securityStore ? undefined : await loadSecurityStore(o); // a bad file fails first
  const ownCertificate = loadDtlsCertificate(o); // as do bad --cert/--key/--ca files
  const ownData = data ? undefined : await openDataStores(o, 'bootstrap.db', log);
  const stores = data ?? ownData!;
  let configStore: BootstrapConfigStore;
  let security: SecurityStore;
  try {
    const quickStart =
      o.serverUri !== undefined &&
      JSON.stringify(configs.get(DEFAULT_CONFIG_ENDPOINT)) === JSON.stringify(quickStartConfig(o.serverUri));
    configStore = await seededConfigStore(stores, configs, quickStart);
    security = securityStore ?? (await seededSecurityStore(stores, fromFile!));
  } catch (e) {
    await ownData?.close();
    throw e;
  }
  const coapsPort = coapsPortOf(o);
  const dtls = dtlsListenOptions(coapsPort, process.env, ownCertificate);
  const server = await BootstrapServer.start({
    port: o.coapPort,
    address: o.coapAddress,
    ...(o.udpSocket ? { udpSocket: o.udpSocket } : {}),
    ...(o.udpReceiveBuffer === undefined ? {} : { udpReceiveBufferBytes: o.udpReceiveBuffer }),
    ...(o.udpSendThread === false ? { udpSendThread: false } : {}),
    configStore,
    ...(stores.bootstrapSessions ? { sessionStore: stores.bootstrapSessions } : {}),
    models,
    security: { store: security, requireSecurity: o.requireSecurity ?? false },
    ...(dtls ? { dtls } : {}),
  }).catch(async (e: unknown) => {
    await ownData?.close();
    throw e;
  });
  logSessions(server, log);
  const bound = server.address();
  const receiveBuffer = receiveBufferLog(log, server.receiveBuffers(), o.udpReceiveBuffer);
  log.info(
    {
      url: `coap://${sourceText(bound.address, bound.port)}`,
      security: o.requireSecurity ? 'NoSec refused (--require-security)' : 'none (plain CoAP)',
      udp: udpSocketText(o.udpSocket, o.udpSendThread !== false),
      receiveBuffer,
    },
    'LwM2M Bootstrap-Server listening',
  );
  const secured = server.secureAddress();
  if (secured)
    log.info(
      {
        url: `coaps://${sourceText(secured.address, secured.port)}`,
        security: dtlsModesText(dtls),
        ...(dtls?.keyLog
          ? { keyLog: `session secrets appended to ${process.env.SSLKEYLOGFILE} (SSLKEYLOGFILE)` }
          : {}),
        credentials: await security.size(),
      },
      'LwM2M Bootstrap-Server listening (secured)',
    );
  const readiness = new Readiness();
  let http: FastifyInstance | undefined;
  try {
    if (o.httpPort !== undefined) {
      const verbose = o.logLevel === 'debug' || o.logLevel === 'trace';
      http = createBootstrapHttpApi(
        { configStore, sessions: () => server.sessions(), models, now: () => server.config.wallClock.now() },
        {
          access,
          security,
          loggerInstance: log.child(
            { component: 'http' },
            { level: verbose ? (o.logLevel ?? 'info') : 'warn' },
          ),
        },
      );
      mountWebUi(o, http, access, {
        server: false,
        bootstrap: true,
        security: true,
        securityPath: '/bootstrap/security',
      });
      const metrics = createMetricsRegistry([
        processMetrics(),
        bootstrapMetrics(server),
        limitsMetrics([bootstrapLimitTotals(server)]),
        limitLevelsMetrics([bootstrapLimitLevels(server)]),
        dtlsMetrics([{ role: 'bootstrap', usage: () => server.dtlsUsage() }]),
      ]);
      await http.register(opsRoutes, { metrics, readiness });
      http.addHook('onClose', async () => metrics.clear());
      await http.listen({ port: o.httpPort, host: o.httpAddress });
      const bound = http.server.address() as AddressInfo;
      const url = reachableHttpUrl(bound);
      log.info(
        {
          url: `${url}/api/bootstrap`,
          ...(o.ui === false ? {} : { ui: `${url}/` }),
          access: accessSummary(bound, access),
          metrics: `${url}/metrics`,
        },
        'bootstrap REST API listening',
      );
    }
  } catch (e) {
    // The CoAP side is up: a failed HTTP start (e.g. the port in use) must not leave it serving.
    await http?.close();
    await server.stop();
    await ownData?.close();
    throw e;
  }
  return {
    server,
    ...(http ? { http } : {}),
    log,
    drain: () => readiness.startDraining(),
    stop: async () => {
      readiness.startDraining();
      await http?.close();
      await server.stop();
      await ownData?.close();
    },
  };
}

/** The `lwm2m bootstrap` command, to add to the program. */
export function bootstrapCommand(): Command {
  return withOptions(new Command('bootstrap'))
    .description(COMMAND_SUMMARIES.bootstrap)
    .action((_raw: unknown, cmd: Command) =>
      serveUntilSignal('bootstrap', async () => runBootstrap(settingsOf(cmd, process.env))),
    );
}
