// The object definitions built into this project (Core TS Appendix E, IPSO 3303 and 3311).
export * from './accessControl.js';
export * from './connectivityMonitoring.js';
export * from './connectivityStatistics.js';
export * from './device.js';
export * from './firmwareUpdate.js';
export * from './lightControl.js';
export * from './location.js';
export * from './security.js';
export * from './server.js';
export * from './temperature.js';
export { coreModels, createCoreRegistry } from './coreModels.js';
