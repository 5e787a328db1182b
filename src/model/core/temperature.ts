// IPSO Smart Objects (OMNA registry, urn:oma:lwm2m:ext:3303): object 3303, Temperature, in
// object versions 1.0 and 1.1.
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, olderVersion, resourceRow as r } from './defineObject.js';

/** Temperature 1.1: a temperature sensor reading with its extremes and measurement quality. */
export const TEMPERATURE_1_1: ObjectModel = defineObject(
  {
    id: 3303,
    name: 'Temperature',
    description: 'A temperature sensor: current value, measured and range extremes, units and quality.',
    version: '1.1',
    lwm2mVersion: '1.0',
    namespace: 'ext',
    instances: 'multi',
    requirement: 'opt',
  },
  [
    r(5700, 'Sensor Value', 'R', 'single', 'mand', 'float'),
    r(5601, 'Min Measured Value', 'R', 'single', 'opt', 'float'),
    r(5602, 'Max Measured Value', 'R', 'single', 'opt', 'float'),
    r(5603, 'Min Range Value', 'R', 'single', 'opt', 'float'),
    r(5604, 'Max Range Value', 'R', 'single', 'opt', 'float'),
    r(5701, 'Sensor Units', 'R', 'single', 'opt', 'string'),
    r(5605, 'Reset Min and Max Measured Values', 'E', 'single', 'opt', 'none'),
    r(5750, 'Application Type', 'RW', 'single', 'opt', 'string'),
    r(5518, 'Timestamp', 'R', 'single', 'opt', 'time'),
    r(6050, 'Fractional Timestamp', 'R', 'single', 'opt', 'float', '0..1', 's'),
    r(6042, 'Measurement Quality Indicator', 'R', 'single', 'opt', 'integer', '0..23'),
    r(6049, 'Measurement Quality Level', 'R', 'single', 'opt', 'integer', '0..100'),
  ],
);

/** Temperature 1.0: value, extremes, units and the reset of the measured extremes. */
export const TEMPERATURE_1_0: ObjectModel = olderVersion(TEMPERATURE_1_1, {
  version: '1.0',
  without: [5750, 5518, 6050, 6042, 6049],
});
