// `lwm2m server`: an LwM2M Server (Core TS 6.2 registration, 5.4/5.5 device management and
// reporting) on CoAP/UDP with its REST API, metrics and health endpoints, and optionally a
// Bootstrap-Server beside it whose quick-start config points every endpoint at this server
// (issue 6: what `npm start` runs), at the URI devices can reach (issue 12 item 13). Settings
// come from the command line, LWM2M_* variables and a --config file (configSources.ts).
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { Lwm2mServer } from '../server/Lwm2mServer.js';
import type { Lwm2mServerOptions } from '../server/Lwm2mServerOptions.js';
import { createHttpApi } from '../http/createHttpApi.js';
import { lwm2mServerPort } from '../http/lwm2mServerPort.js';
import { bootstrapApi } from '../http/bootstrapApi.js';
import { opsRoutes } from '../http/opsRoutes.js';
import { Readiness } from '../http/Readiness.js';
import { createMetricsRegistry, type MetricsSource } from '../http/metrics/MetricsSource.js';
import { processMetrics } from '../http/metrics/processMetrics.js';
import { serverMetrics } from '../http/metrics/serverMetrics.js';
import { coapMetrics } from '../http/metrics/coapMetrics.js';
import {
  bootstrapLimitLevels,
  bootstrapLimitTotals,
  limitLevelsMetrics,
  limitsMetrics,
  serverLimitLevels,
  serverLimitTotals,
} from '../http/metrics/limitsMetrics.js';
import { dtlsMetrics } from '../http/metrics/dtlsMetrics.js';
import { bootstrapMetrics } from '../http/metrics/bootstrapMetrics.js';
import { runBootstrap, type RunningBootstrap } from './bootstrapCommand.js';
import { loadModelsDir } from './loadModelsDir.js';
import { applyConfigSources } from './configSources.js';
import { logFormatOption, logLevelOption, msOption, portOption, serveUntilSignal } from './cliOptions.js';
import {
  createLogger,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  type Logger,
  type LogLevel,
} from './logger.js';
import { choosePublicUri, publicUriOption, type InterfaceTable } from './publicUri.js';
import { logServerEvents, sourceText } from './serverLog.js';
import { limitServerOptions, withLimitOptions, type LimitCliOptions } from './limitOptions.js';
import {
  accessSummary,
  reachableHttpUrl,
  resolveHttpAccess,
  withHttpAccessOptions,
  type HttpAccessCliOptions,
} from './httpAccess.js';
import type { AddressInfo } from 'node:net';
import { mountWebUi, withUiSessions, withWebUiOption, type WebUiCliOptions } from './webUi.js';
import { COMMAND_SUMMARIES } from './commandSummaries.js';
import {
  coapsPortOf,
  dtlsListenOptions,
  dtlsModesText,
  loadDtlsCertificate,
  loadSecurityStore,
  withSecurityOptions,
  type SecurityCliOptions,
} from './securityOptions.js';
import { DEFAULT_COAPS_PORT } from '../server/bindServerTransports.js';
import { MemoryCompositeSetStore } from '../store/memory/MemoryCompositeSetStore.js';
import { DEFAULT_BOOTSTRAP_COAPS_PORT } from '../bootstrap/BootstrapServer.js';
import {
  openDataStores,
  seededSecurityStore,
  withDataStoreOptions,
  type DataStoreCliOptions,
} from './dataStores.js';
import type { SecurityStore } from '../store/SecurityStore.js';
import {
  receiveBufferLog,
  udpSocketText,
  withUdpSocketOption,
  type UdpSocketCliOptions,
} from './udpSocketOption.js';

export type { LogLevel } from './logger.js';

/** Parsed options of `lwm2m server`. */
export interface ServerCliOptions
  extends
    LimitCliOptions,
    HttpAccessCliOptions,
    SecurityCliOptions,
    DataStoreCliOptions,
    WebUiCliOptions,
    UdpSocketCliOptions {
  readonly coapPort: number;
  readonly coapAddress: string;
  readonly httpPort: number;
  readonly httpAddress: string;
  readonly logLevel: LogLevel;
  /** `pretty` (default) or `json` lines. */
  readonly logFormat?: LogFormat;
  /** When set, a Bootstrap-Server runs on this UDP port, pointed at this server. */
  readonly bootstrapPort?: number;
  /** DTLS port of that Bootstrap-Server (the CLI's default 5784; off with `coaps: false`). */
  readonly bootstrapCoapsPort?: number;
  /** A folder of DDF files (*.xml) loaded over the core objects, for both servers. */
  readonly models?: string;
  /** The coap:// URI devices reach this server at (default: see publicUri.ts). */
  readonly publicUri?: string;
  /** How long SIGTERM keeps serving with /readyz at 503 before stopping, ms. Default 5000. */
  readonly drainDelay?: number;
  /** The settings file the options came from, if any. */
  readonly config?: string;
}

/** Prefix of the environment variables of `lwm2m server` (LWM2M_HTTP_PORT, ...). */
export const SERVER_ENV_PREFIX = 'LWM2M_';

function withOptions(cmd: Command): Command {
  const withAll = withUdpSocketOption(withWebUiOption(withHttpAccessOptions(cmd)))
    .option('--config <file>', 'read settings from this JSON file (keys: the options in camelCase)')
    .option('--coap-port <port>', 'UDP port of the LwM2M server', portOption, 5683)
    .option('--coap-address <address>', 'local address to bind CoAP to (:: is dual stack)', '::')
    .option(
      '--http-port <port>',
      'port of the REST API (/api), /metrics, /healthz and /readyz',
      portOption,
      8080,
    )
    .option('--http-address <address>', 'local address of the REST API', '127.0.0.1')
    .option(
      '--public-uri <uri>',
      'coap://HOST:PORT that devices reach this server at (told by the built-in Bootstrap-Server)',
      publicUriOption,
    )
    .option('--log-level <level>', `one of ${LOG_LEVELS.join(', ')}`, logLevelOption, 'info')
    .option('--log-format <format>', `one of ${LOG_FORMATS.join(', ')}`, logFormatOption, 'pretty')
    .option('--drain-delay <ms>', 'on SIGTERM, answer /readyz 503 this long before stopping', msOption, 5000)
    .option(
      '--bootstrap-port <port>',
      'also run a Bootstrap-Server on this UDP port, pointed at this server',
      portOption,
    )
    .option(
      '--bootstrap-coaps-port <port>',
      'DTLS port of that Bootstrap-Server (with --bootstrap-port; off with --no-coaps)',
      portOption,
      DEFAULT_BOOTSTRAP_COAPS_PORT,
    )
    .option('--models <dir>', 'load the object models (DDF *.xml files) of this folder over the core objects')
    .addHelpText(
      'after',
      `\nEvery option can also be set by the environment (${SERVER_ENV_PREFIX} + the option in capitals,` +
        ` e.g. ${SERVER_ENV_PREFIX}HTTP_PORT=8081) or by the --config file ({"httpPort": 8081}).` +
        '\nPrecedence: command line, then environment, then file, then defaults.',
    );
  return withDataStoreOptions(withLimitOptions(withSecurityOptions(withAll, DEFAULT_COAPS_PORT)));
}

/** Settings of the command `cmd` (parsed) completed from `env` and its --config file. */
function settingsOf(cmd: Command, env: Readonly<Record<string, string | undefined>>): ServerCliOptions {
  applyConfigSources(cmd, { env, envPrefix: SERVER_ENV_PREFIX, fileOption: 'config' });
  return cmd.opts<ServerCliOptions>();
}

/**
 * Parses `lwm2m server` arguments (without the command name), completed from `env` and the
 * --config file; throws on bad ones (CommanderError, or ConfigError naming the key).
 */
export function parseServerArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ServerCliOptions {
  const cmd = withOptions(new Command('server'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.parse([...args], { from: 'user' });
  return settingsOf(cmd, env);
}

/** A running server, its REST API and the optional Bootstrap-Server. */
export interface RunningServer {
  readonly server: Lwm2mServer;
  readonly http: FastifyInstance;
  readonly bootstrap?: RunningBootstrap;
  readonly metrics: Registry;
  readonly readiness: Readiness;
  readonly log: Logger;
  /** The coap:// URI devices are told (see publicUri.ts). */
  readonly publicUri: string;
  readonly drainDelayMs: number;
  /** GET /readyz answers 503 from now on; everything keeps serving until stop(). */
  drain(): void;
  stop(): Promise<void>;
}

/** Settings that tests and embedders may replace. */
export interface RunServerDeps {
  /** Default: a logger built from the options' level and format, to standard output. */
  readonly log?: Logger;
  /** Network interfaces (default os.networkInterfaces()), for the default public URI. */
  readonly interfaces?: InterfaceTable;
  /** Settings of the Lwm2mServer the command line has no flag for (e.g. awakeWindowMs); the flags' win. */
  readonly serverOptions?: Lwm2mServerOptions;
}

/** Logs which URI devices are told, and why (a loopback fallback is a warning). */
function logPublicUri(log: Logger, o: ServerCliOptions, port: number, deps: RunServerDeps): string {
  const choice = choosePublicUri({ publicUri: o.publicUri, bind: o.coapAddress, port }, deps.interfaces);
  if (choice.source === 'loopback fallback')
    log.warn(
      { publicUri: choice.uri },
      'no network interface besides loopback: devices on other hosts cannot reach this server; set --public-uri',
    );
  else
    log.info(
      { publicUri: choice.uri, from: choice.source },
      choice.source === 'interface'
        ? 'devices are told the address of a network interface; set --public-uri to choose another'
        : 'devices are told this URI',
    );
  return choice.uri;
}

/** Starts the server, its REST API and (with `bootstrapPort`) a Bootstrap-Server pointed at it. */
export async function runServer(o: ServerCliOptions, deps: RunServerDeps = {}): Promise<RunningServer> {
  const log = deps.log ?? createLogger({ level: o.logLevel, format: o.logFormat ?? 'pretty' });
  const access = withUiSessions(o, await resolveHttpAccess(o, o.httpAddress));
  const models = await loadModelsDir(o.models);
  const fromFile = await loadSecurityStore(o); // a bad credentials file fails before the data file opens
  const ownCertificate = loadDtlsCertificate(o); // as do bad --cert/--key/--ca files
  // one data file for the server and its Bootstrap-Server (issue 14): registrations with their
  // observations, queued requests, bootstrap configs and credentials
  const data = await openDataStores(o, 'server.db', log);
  const coapsPort = coapsPortOf(o);
  const dtls = dtlsListenOptions(coapsPort, process.env, ownCertificate);
  let server: Lwm2mServer;
  let securityStore: SecurityStore;
  try {
    // one credentials store for the server and its Bootstrap-Server (the REST API edits it)
    securityStore = await seededSecurityStore(data, fromFile);
    server = await Lwm2mServer.start({
      ...deps.serverOptions,
      port: o.coapPort,
      address: o.coapAddress,
      ...(o.udpSocket ? { udpSocket: o.udpSocket } : {}),
      ...(o.udpReceiveBuffer === undefined ? {} : { udpReceiveBufferBytes: o.udpReceiveBuffer }),
      ...(o.udpSendThread === false ? { udpSendThread: false } : {}),
      models,
      ...(data.registrations ? { store: data.registrations } : {}),
      ...(data.queuedRequests ? { queuedRequestStore: data.queuedRequests } : {}),
      security: { store: securityStore, requireSecurity: o.requireSecurity ?? false },
      ...(dtls ? { dtls } : {}),
      ...limitServerOptions(o),
    });
  } catch (e) {
    await data.close();
    throw e;
  }
  logServerEvents(server, log);
  const coap = server.address();
  const receiveBuffer = receiveBufferLog(log, server.stats().receiveBuffers, o.udpReceiveBuffer);
  log.info(
    {
      url: `coap://${sourceText(coap.address, coap.port)}`,
      security: o.requireSecurity ? 'NoSec refused (--require-security)' : 'none (plain CoAP)',
      udp: udpSocketText(o.udpSocket, o.udpSendThread !== false),
      receiveBuffer,
    },
    'LwM2M server listening',
  );
  const coaps = server.secureAddress();
  if (coaps)
    log.info(
      {
        url: `coaps://${sourceText(coaps.address, coaps.port)}`,
        security: dtlsModesText(dtls),
        ...(dtls?.keyLog
          ? { keyLog: `session secrets appended to ${process.env.SSLKEYLOGFILE} (SSLKEYLOGFILE)` }
          : {}),
        credentials: await securityStore.size(),
      },
      'LwM2M server listening (secured)',
    );
  else if (o.requireSecurity)
    log.warn('--require-security without a DTLS port (--no-coaps): every device request will be refused');
  const publicUri = logPublicUri(log, o, coap.port, deps);

  let bootstrap: RunningBootstrap | undefined;
  try {
    if (o.bootstrapPort !== undefined) {
      bootstrap = await runBootstrap(
        {
          coapPort: o.bootstrapPort,
          coapAddress: o.coapAddress,
          ...(o.udpSocket ? { udpSocket: o.udpSocket } : {}),
          ...(o.udpReceiveBuffer === undefined ? {} : { udpReceiveBuffer: o.udpReceiveBuffer }),
          ...(o.udpSendThread === false ? { udpSendThread: false } : {}),
          httpAddress: o.httpAddress,
          serverUri: publicUri,
          ...(coapsPort === undefined || o.bootstrapCoapsPort === undefined
            ? {}
            : { coapsPort: o.bootstrapCoapsPort }),
          ...(o.requireSecurity ? { requireSecurity: true } : {}),
        },
        log,
        models,
        securityStore,
        data,
      );
    }
    const verbose = o.logLevel === 'debug' || o.logLevel === 'trace';
    // fastify logs each request at info: that is traffic, shown at debug only.
    const quiet = o.logLevel === 'silent' || o.logLevel === 'error';
    const httpLog = log.child({ component: 'http' }, { level: verbose || quiet ? o.logLevel : 'warn' });
    // /api/security edits the credentials store; the embedded bootstrap server shares it, so its
    // own /api/bootstrap/security routes are not mounted (one store, one place to edit it)
    const http = createHttpApi(lwm2mServerPort(server), {
      loggerInstance: httpLog,
      access,
      security: securityStore,
      compositeSets: data.compositeSets ?? new MemoryCompositeSetStore(),
    });
    if (bootstrap) {
      const b = bootstrap.server;
      await http.register(bootstrapApi, {
        prefix: '/api',
        port: {
          configStore: b.config.configStore,
          sessions: () => b.sessions(),
          models: server.config.models,
          now: () => b.config.wallClock.now(),
        },
      });
    }
    mountWebUi(o, http, access, {
      server: true,
      bootstrap: bootstrap !== undefined,
      security: true,
      securityPath: '/security',
    });
    const sources: MetricsSource[] = [
      processMetrics(),
      serverMetrics(server),
      coapMetrics(() => server.stats().coap),
      limitsMetrics([
        serverLimitTotals(server),
        ...(bootstrap ? [bootstrapLimitTotals(bootstrap.server)] : []),
      ]),
      limitLevelsMetrics([
        serverLimitLevels(server),
        ...(bootstrap ? [bootstrapLimitLevels(bootstrap.server)] : []),
      ]),
      ...(bootstrap ? [bootstrapMetrics(bootstrap.server)] : []),
      dtlsMetrics([
        { role: 'server', usage: () => server.dtlsUsage() },
        ...(bootstrap ? [{ role: 'bootstrap' as const, usage: () => bootstrap?.server.dtlsUsage() }] : []),
      ]),
    ];
    const metrics = createMetricsRegistry(sources);
    const readiness = new Readiness();
    await http.register(opsRoutes, { metrics, readiness });
    await http.listen({ port: o.httpPort, host: o.httpAddress });
    const bound = http.server.address() as AddressInfo;
    const url = reachableHttpUrl(bound);
    log.info(
      {
        url: `${url}/api`,
        ...(o.ui === false ? {} : { ui: `${url}/` }),
        access: accessSummary(bound, access),
        openapi: `${url}/api/openapi.json`,
        events: `${url}/api/events`,
        metrics: `${url}/metrics`,
      },
      'REST API listening',
    );
    return {
      server,
      http,
      ...(bootstrap ? { bootstrap } : {}),
      metrics,
      readiness,
      log,
      publicUri,
      drainDelayMs: o.drainDelay ?? 5000,
      drain: () => readiness.startDraining(),
      stop: async () => {
        readiness.startDraining();
        await http.close();
        await bootstrap?.stop();
        await server.stop();
        await data.close();
        metrics.clear();
      },
    };
  } catch (e) {
    await bootstrap?.stop();
    await server.stop();
    await data.close();
    throw e;
  }
}

/** The `lwm2m server` command, to add to the program. */
export function serverCommand(): Command {
  return withOptions(new Command('server'))
    .description(COMMAND_SUMMARIES.server)
    .action((_raw: unknown, cmd: Command) =>
      serveUntilSignal('server', () => runServer(settingsOf(cmd, process.env))),
    );
}
