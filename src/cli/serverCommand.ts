// `lwm2m server`: an LwM2M Server (Core TS 6.2 registration, 5.4/5.5 device management and
// reporting) on CoAP/UDP with its REST API, and optionally a Bootstrap-Server beside it whose
// quick-start config points every endpoint at this server (issue 6: what `npm start` runs).
import { Command, InvalidArgumentError } from 'commander';
import { portOption, serveUntilSignal } from './cliOptions.js';
import type { FastifyInstance } from 'fastify';
import { Lwm2mServer } from '../server/Lwm2mServer.js';
import { createHttpApi } from '../http/createHttpApi.js';
import { lwm2mServerPort } from '../http/lwm2mServerPort.js';
import { bootstrapApi } from '../http/bootstrapApi.js';
import { runBootstrap, type RunningBootstrap } from './bootstrapCommand.js';
import { loadModelsDir } from './loadModelsDir.js';
import {
  accessSummary,
  reachableHttpUrl,
  resolveHttpAccess,
  withHttpAccessOptions,
  type HttpAccessCliOptions,
} from './httpAccess.js';
import type { AddressInfo } from 'node:net';

/** Parsed options of `lwm2m server`. */
export interface ServerCliOptions extends HttpAccessCliOptions {
  readonly coapPort: number;
  readonly coapAddress: string;
  readonly httpPort: number;
  readonly httpAddress: string;
  readonly logLevel: LogLevel;
  /** When set, a Bootstrap-Server runs on this UDP port, pointed at this server. */
  readonly bootstrapPort?: number;
  /** A folder of DDF files (*.xml) loaded over the core objects, for both servers. */
  readonly models?: string;
}

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
/** How much the command prints: `info` prints one line per client event, `debug` adds HTTP requests. */
export type LogLevel = (typeof LOG_LEVELS)[number];

const logLevel = (value: string): LogLevel => {
  if (!(LOG_LEVELS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${LOG_LEVELS.join(', ')}`);
  return value as LogLevel;
};

function withOptions(cmd: Command): Command {
  return withHttpAccessOptions(cmd)
    .option('--coap-port <port>', 'UDP port of the LwM2M server', portOption, 5683)
    .option('--coap-address <address>', 'local address to bind CoAP to (:: is dual stack)', '::')
    .option('--http-port <port>', 'port of the REST API (/api) and its OpenAPI document', portOption, 8080)
    .option('--http-address <address>', 'local address of the REST API', '127.0.0.1')
    .option('--log-level <level>', `one of ${LOG_LEVELS.join(', ')}`, logLevel, 'info')
    .option(
      '--bootstrap-port <port>',
      'also run a Bootstrap-Server on this UDP port, pointed at this server',
      portOption,
    )
    .option(
      '--models <dir>',
      'load the object models (DDF *.xml files) of this folder over the core objects',
    );
}

/** Parses `lwm2m server` arguments (without the command name); throws on bad ones. */
export function parseServerArgs(args: readonly string[]): ServerCliOptions {
  const cmd = withOptions(new Command('server'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.parse([...args], { from: 'user' });
  return cmd.opts<ServerCliOptions>();
}

/** A running server, its REST API and the optional Bootstrap-Server. */
export interface RunningServer {
  readonly server: Lwm2mServer;
  readonly http: FastifyInstance;
  readonly bootstrap?: RunningBootstrap;
  stop(): Promise<void>;
}

const host = (address: string): string => (address.includes(':') ? `[${address}]` : address);
/** The address clients should use to reach a server bound to `address` on this machine. */
const reachable = (address: string): string =>
  address === '::' || address === '0.0.0.0' ? '127.0.0.1' : address;

/** Starts the server, its REST API and (with `bootstrapPort`) a Bootstrap-Server pointed at it. */
export async function runServer(
  o: ServerCliOptions,
  print: (line: string) => void = console.log,
): Promise<RunningServer> {
  const log = (line: string): void => {
    if (o.logLevel === 'info' || o.logLevel === 'debug') print(line);
  };
  const access = await resolveHttpAccess(o, o.httpAddress);
  const models = await loadModelsDir(o.models);
  const server = await Lwm2mServer.start({ port: o.coapPort, address: o.coapAddress, models });
  server.on('registered', ({ registration: r }) =>
    log(
      `registered ${r.endpoint} (${r.id}) from ${host(r.peer.address)}:${r.peer.port}, lwm2m ${r.lwm2mVersion}, lifetime ${r.lifetime} s${r.queueMode ? ', queue mode' : ''}`,
    ),
  );
  server.on('updated', ({ registration: r }) => log(`updated ${r.endpoint}`));
  server.on('deregistered', ({ registration: r }) => log(`deregistered ${r.endpoint}`));
  server.on('expired', ({ registration: r }) => log(`expired ${r.endpoint}`));
  server.on('sleeping', ({ registration: r }) => log(`sleeping ${r.endpoint}`));
  server.on('awake', ({ registration: r }) => log(`awake ${r.endpoint}`));
  server.on('notification', ({ registration: r, observation }) =>
    log(`notification from ${r.endpoint} for ${observation.paths.map(String).join(', ')}`),
  );
  server.on('send', ({ registration: r, data }) =>
    log(`send from ${r.endpoint}: ${data.reduce((n, g) => n + g.nodes.length, 0)} value(s)`),
  );
  server.on('warning', (e) => {
    if (o.logLevel !== 'silent') console.error(`warning: ${e.message}`);
  });
  const coap = server.address();
  log(`LwM2M server on coap://${host(coap.address)}:${coap.port}`);

  let bootstrap: RunningBootstrap | undefined;
  try {
    if (o.bootstrapPort !== undefined) {
      bootstrap = await runBootstrap(
        {
          coapPort: o.bootstrapPort,
          coapAddress: o.coapAddress,
          httpAddress: o.httpAddress,
          serverUri: `coap://${host(reachable(o.coapAddress))}:${coap.port}`,
        },
        log,
        models,
      );
    }
    const http = createHttpApi(lwm2mServerPort(server), {
      logger: o.logLevel === 'debug' ? { level: 'debug' } : false,
      access,
    });
    if (bootstrap) {
      const b = bootstrap.server;
      await http.register(bootstrapApi, {
        prefix: '/api',
        port: {
          configStore: b.config.configStore,
          sessions: () => b.sessions(),
          models: server.config.models,
          now: () => b.config.clock.now(),
        },
      });
    }
    await http.listen({ port: o.httpPort, host: o.httpAddress });
    const bound = http.server.address() as AddressInfo;
    const url = reachableHttpUrl(bound);
    log(
      `REST API on ${url}/api (${accessSummary(bound, access)}; OpenAPI document at ${url}/api/openapi.json, events at ${url}/api/events)`,
    );
    return {
      server,
      http,
      ...(bootstrap ? { bootstrap } : {}),
      stop: async () => {
        await http.close();
        await bootstrap?.stop();
        await server.stop();
      },
    };
  } catch (e) {
    await bootstrap?.stop();
    await server.stop();
    throw e;
  }
}

/** The `lwm2m server` command, to add to the program. */
export function serverCommand(): Command {
  return withOptions(new Command('server'))
    .description('run an LwM2M server with its REST API (and a Bootstrap-Server with --bootstrap-port)')
    .action((raw: ServerCliOptions) => serveUntilSignal('server', () => runServer(raw)));
}
