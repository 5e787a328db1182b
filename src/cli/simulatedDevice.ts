// The `lwm2m client` command's device (issue 5 items 6 and 7): an Lwm2mClient with one server
// account (NoSec, or PSK for a coaps:// URI), every object the README lists: Security, Server, Access Control (instances made
// by servers or the Bootstrap-Server), Device, Connectivity Monitoring, Firmware Update, Location,
// Connectivity Statistics counting the device's real datagrams, Temperature and Light Control
// (LwM2M Core TS 1.1.1 Appendix E.1-E.8, IPSO 3303 and 3311), the value simulator, and a log line
// for each thing a server does to it.
import type { ClientCertificateConfig } from '../client/certificateCredentials.js';
import { systemClock, type Clock, type RandomSource } from '../coap/Clock.js';
import { FileClientStateStore } from '../client/bootstrap/FileClientStateStore.js';
import { Lwm2mClient } from '../client/Lwm2mClient.js';
import {
  connectivityMonitoringInstance,
  connectivityStatistics,
  locationInstance,
} from '../client/objects/connectivityInstances.js';
import { simulatedInstaller } from '../client/firmware/simulatedInstaller.js';
import { firmwareUpdateInstance } from '../client/objects/firmwareUpdateInstance.js';
import { lightControlInstance } from '../client/objects/lightControlInstance.js';
import { temperatureInstance } from '../client/objects/temperatureInstance.js';
import { CountingTransport } from '../client/simulator/countingTransport.js';
import { seededRandom } from '../client/simulator/seededRandom.js';
import { startSimulation } from '../client/simulator/startSimulation.js';
import { ACCESS_CONTROL_1_0, ACCESS_CONTROL_1_1 } from '../model/core/accessControl.js';
import { FIRMWARE_UPDATE_1_0, FIRMWARE_UPDATE_1_1 } from '../model/core/firmwareUpdate.js';
import { sslKeyLogFileWriter } from '../transport/dtls/keyLog.js';
import { UdpTransport } from '../transport/udp/UdpTransport.js';
import { attemptLine, firmwareLine, requestLine, updateLine, type LogLine } from './clientLog.js';

/** The settings the command line gives. */
export interface SimulatedDeviceOptions {
  readonly endpoint: string;
  /** LwM2M Server URI (a NoSec account with Short Server ID 1). */
  readonly server?: string;
  /** Bootstrap-Server URI (Core TS 6.1: the client bootstraps when it has no server account). */
  readonly bootstrap?: string;
  /** File keeping the bootstrapped state (FileClientStateStore). */
  readonly statePath?: string;
  /** Bootstrap with a Bootstrap-Pack-Request first (LwM2M 1.2). */
  readonly bootstrapPack?: boolean;
  /** PSK identity and key of the coaps:// `server` and/or `bootstrap` account (Security Mode 0). */
  readonly psk?: { readonly identity: string; readonly key: Uint8Array };
  /** Raw public key or certificate credentials of the coaps:// accounts (Security Mode 1 or 2). */
  readonly certificate?: ClientCertificateConfig;
  /** CA certificates (DER) for servers checked with certificate usage 0 or 1. */
  readonly trustAnchors?: readonly Uint8Array[];
  /** UDP port to bind (0: any). */
  readonly localPort: number;
  /** Registration lifetime, seconds. */
  readonly lifetime: number;
  readonly lwm2mVersion: '1.0' | '1.1' | '1.2';
  readonly queue: boolean;
  /** Preferred content format of multi-value answers without Accept, notifications and Send. */
  readonly format: number;
  /** Simulator step, ms. */
  readonly intervalMs: number;
  /** Seed of the simulator's random walk. */
  readonly seed?: number;
}

/** A running simulated device. */
export interface SimulatedDevice {
  readonly client: Lwm2mClient;
  /** De-registers (bounded by `timeoutMs`), stops the simulation and closes the socket. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Builds and starts the simulated device; every event becomes a log line. */
export async function startSimulatedDevice(
  o: SimulatedDeviceOptions,
  log: LogLine,
  env: {
    clock?: Clock;
    random?: RandomSource;
    /** Simulated installation time, ms (default 2000). */ installMs?: number;
  } = {},
): Promise<SimulatedDevice> {
  const clock = env.clock ?? systemClock;
  let firmwareVersion = '1.0.0';
  const firmware = firmwareUpdateInstance({
    clock,
    model: o.lwm2mVersion === '1.0' ? FIRMWARE_UPDATE_1_0 : FIRMWARE_UPDATE_1_1,
    installer: simulatedInstaller({ clock, durationMs: env.installMs ?? 2000 }),
    onUpdated: (info) => {
      if (info.version !== undefined) firmwareVersion = info.version;
      client.set('/3/0/3', firmwareVersion);
      log(`firmware installed: ${info.name ?? 'package'} ${firmwareVersion}`);
    },
  });
  firmware.machine.onChange(() => log(firmwareLine(firmware.machine.state, firmware.machine.result)));
  // the PSK or the key pair goes to the Security instance of each coaps:// account (Core TS E.1,
  // mode 0, 1 or 2)
  const pskFor = (uri: string) =>
    !uri.startsWith('coaps:')
      ? {}
      : { ...(o.psk ? { psk: o.psk } : {}), ...(o.certificate ? { certificate: o.certificate } : {}) };
  const statistics = connectivityStatistics();
  const transport = new CountingTransport(await UdpTransport.bind({ port: o.localPort }), (dir, bytes) =>
    statistics.count(dir, bytes),
  );
  // SSLKEYLOGFILE (NSS key log, for Wireshark): off unless the variable names a file
  const keyLog = sslKeyLogFileWriter();
  if (keyLog) log(`DTLS session secrets are appended to ${process.env.SSLKEYLOGFILE} (SSLKEYLOGFILE)`);
  const client: Lwm2mClient = new Lwm2mClient({
    ...(keyLog ? { dtls: { keyLog } } : {}),
    ...(o.trustAnchors ? { trustAnchors: o.trustAnchors } : {}),
    endpoint: o.endpoint,
    servers:
      o.server !== undefined
        ? [{ uri: o.server, ssid: 1, lifetime: o.lifetime, binding: 'U', ...pskFor(o.server) }]
        : [],
    ...(o.bootstrap !== undefined ? { bootstrapServer: { uri: o.bootstrap, ...pskFor(o.bootstrap) } } : {}),
    ...(o.statePath !== undefined ? { stateStore: new FileClientStateStore(o.statePath) } : {}),
    ...(o.bootstrapPack ? { bootstrapPack: true } : {}),
    lwm2mVersion: o.lwm2mVersion,
    queueMode: o.queue,
    preferredFormat: o.format,
    transport,
    models: [o.lwm2mVersion === '1.0' ? ACCESS_CONTROL_1_0 : ACCESS_CONTROL_1_1],
    clock,
    device: {
      manufacturer: 'lwm2m-ts',
      modelNumber: 'simulated-device',
      serialNumber: o.endpoint,
      firmwareVersion,
      batteryLevel: 100,
      deviceType: 'simulator',
    },
    objects: [
      connectivityMonitoringInstance({ networkBearer: 41, signalStrength: -70 }),
      locationInstance({ latitude: 48.8584, longitude: 2.2945 }),
      temperatureInstance({ value: 21.5 }),
      lightControlInstance({ on: true, dimmer: 80 }),
      firmware,
      statistics.instance,
    ],
  });
  const random = env.random ?? (o.seed !== undefined ? seededRandom(o.seed) : undefined);
  const simulation = startSimulation(client, {
    clock,
    intervalMs: o.intervalMs,
    ...(random ? { random } : {}),
  });
  client
    .on('registered', (e) => log(`registered (ssid ${e.ssid}) at /${e.location.join('/')}`))
    .on('updated', (e) => log(updateLine(e.ssid, e.plan)))
    .on('deregistered', (e) => log(`deregistered (ssid ${e.ssid})`))
    .on('registrationAttemptFailed', (f) => log(attemptLine(f)))
    .on('registrationFailed', (e) => log(`registration failed (ssid ${e.ssid}): ${e.reason}`))
    .on('bootstrapRequired', (e) => log(`bootstrap required: ${e.reason}`))
    .on('bootstrapStarted', (e) => log(`bootstrap started: ${e.reason}`))
    .on('bootstrapped', () => log('bootstrapped'))
    .on('bootstrapAttemptFailed', (f) => log(attemptLine(f)))
    .on('sleeping', (e) => log(`queue mode: sleeping (ssid ${e.ssid})`))
    .on('warning', (e) => log(`warning: ${e.message}`))
    .on('request', (e) => log(requestLine(e)))
    .on('reboot', () => (log('reboot requested'), simulation.reboot()))
    .on('factoryReset', () => log('factory reset requested'));
  log(
    `starting ${o.endpoint} (LwM2M ${o.lwm2mVersion}${o.queue ? ', queue mode' : ''}) for ${o.server ?? `bootstrap server ${o.bootstrap}`}`,
  );
  try {
    await client.start();
  } catch (e) {
    simulation.stop();
    firmware.dispose();
    await transport.close();
    throw e;
  }
  const address = client.endpoint.address();
  log(`listening on UDP port ${address.port}`);
  return {
    client,
    async stop(timeoutMs = 5000) {
      simulation.stop();
      firmware.dispose();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([client.stop(), late]);
      clearTimeout(timer);
    },
  };
}
