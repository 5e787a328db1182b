// OMA LwM2M Core TS Appendix E (objects 0-7) and IPSO objects 3303 and 3311: the list of the
// object definitions built into this project, and a registry holding them.
import type { ObjectModel } from '../ObjectModel.js';
import { ModelRegistry } from '../ModelRegistry.js';
import { ACCESS_CONTROL_1_0, ACCESS_CONTROL_1_1 } from './accessControl.js';
import {
  CONNECTIVITY_MONITORING_1_0,
  CONNECTIVITY_MONITORING_1_1,
  CONNECTIVITY_MONITORING_1_2,
  CONNECTIVITY_MONITORING_1_3,
} from './connectivityMonitoring.js';
import { CONNECTIVITY_STATISTICS_1_0 } from './connectivityStatistics.js';
import { DEVICE_1_0, DEVICE_1_1, DEVICE_1_2 } from './device.js';
import { FIRMWARE_UPDATE_1_0, FIRMWARE_UPDATE_1_1, FIRMWARE_UPDATE_1_2 } from './firmwareUpdate.js';
import { LIGHT_CONTROL_1_0 } from './lightControl.js';
import { LOCATION_1_0 } from './location.js';
import { SECURITY_1_0, SECURITY_1_1, SECURITY_1_2 } from './security.js';
import { SERVER_1_0, SERVER_1_1, SERVER_1_2 } from './server.js';
import { TEMPERATURE_1_0, TEMPERATURE_1_1 } from './temperature.js';

const CORE_MODELS: readonly ObjectModel[] = Object.freeze([
  SECURITY_1_0,
  SECURITY_1_1,
  SECURITY_1_2,
  SERVER_1_0,
  SERVER_1_1,
  SERVER_1_2,
  ACCESS_CONTROL_1_0,
  ACCESS_CONTROL_1_1,
  DEVICE_1_0,
  DEVICE_1_1,
  DEVICE_1_2,
  CONNECTIVITY_MONITORING_1_0,
  CONNECTIVITY_MONITORING_1_1,
  CONNECTIVITY_MONITORING_1_2,
  CONNECTIVITY_MONITORING_1_3,
  FIRMWARE_UPDATE_1_0,
  FIRMWARE_UPDATE_1_1,
  FIRMWARE_UPDATE_1_2,
  LOCATION_1_0,
  CONNECTIVITY_STATISTICS_1_0,
  TEMPERATURE_1_0,
  TEMPERATURE_1_1,
  LIGHT_CONTROL_1_0,
]);

/** Every built-in object model, each object's versions lowest first. */
export function coreModels(): ObjectModel[] {
  return [...CORE_MODELS];
}

/** A new registry holding every built-in model; each object defaults to its highest version. */
export function createCoreRegistry(): ModelRegistry {
  return new ModelRegistry(CORE_MODELS);
}
