// OMA LwM2M Core TS 1.0.2, 1.1.1 and 1.2 Appendix E.4: object 3, Device, in object versions
// 1.0, 1.1 and 1.2 (ranges in the "0..7" notation of 1.1, where the 1.0 DDF wrote "0-7").
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, olderVersion, resourceRow as r } from './defineObject.js';

/** Device 1.2: identity, power, memory, time and error state of the device. */
export const DEVICE_1_2: ObjectModel = defineObject(
  {
    id: 3,
    name: 'Device',
    description:
      'Device identity (manufacturer, model, serial), power, memory, clock and error codes; reboot and reset.',
    version: '1.2',
    lwm2mVersion: '1.1',
    namespace: 'oma',
    instances: 'single',
    requirement: 'mand',
  },
  [
    r(0, 'Manufacturer', 'R', 'single', 'opt', 'string'),
    r(1, 'Model Number', 'R', 'single', 'opt', 'string'),
    r(2, 'Serial Number', 'R', 'single', 'opt', 'string'),
    r(3, 'Firmware Version', 'R', 'single', 'opt', 'string'),
    r(4, 'Reboot', 'E', 'single', 'mand', 'none'),
    r(5, 'Factory Reset', 'E', 'single', 'opt', 'none'),
    r(6, 'Available Power Sources', 'R', 'multi', 'opt', 'integer', '0..7'),
    r(7, 'Power Source Voltage', 'R', 'multi', 'opt', 'integer'),
    r(8, 'Power Source Current', 'R', 'multi', 'opt', 'integer'),
    r(9, 'Battery Level', 'R', 'single', 'opt', 'integer', '0..100', '/100'),
    r(10, 'Memory Free', 'R', 'single', 'opt', 'integer'),
    r(11, 'Error Code', 'R', 'multi', 'mand', 'integer', '0..32'),
    r(12, 'Reset Error Code', 'E', 'single', 'opt', 'none'),
    r(13, 'Current Time', 'RW', 'single', 'opt', 'time'),
    r(14, 'UTC Offset', 'RW', 'single', 'opt', 'string'),
    r(15, 'Timezone', 'RW', 'single', 'opt', 'string'),
    r(16, 'Supported Binding and Modes', 'R', 'single', 'mand', 'string'),
    r(17, 'Device Type', 'R', 'single', 'opt', 'string'),
    r(18, 'Hardware Version', 'R', 'single', 'opt', 'string'),
    r(19, 'Software Version', 'R', 'single', 'opt', 'string'),
    r(20, 'Battery Status', 'R', 'single', 'opt', 'integer', '0..6'),
    r(21, 'Memory Total', 'R', 'single', 'opt', 'integer'),
    r(22, 'ExtDevInfo', 'R', 'multi', 'opt', 'objlnk'),
  ],
);

/** Device 1.1: error codes 0..8 and battery level in percent. */
export const DEVICE_1_1: ObjectModel = olderVersion(DEVICE_1_2, {
  version: '1.1',
  rows: [
    r(9, 'Battery Level', 'R', 'single', 'opt', 'integer', '0..100', '%'),
    r(11, 'Error Code', 'R', 'multi', 'mand', 'integer', '0..8'),
  ],
});

/** Device 1.0 (LwM2M 1.0): same resources as 1.1, with units on voltage, current and memory. */
export const DEVICE_1_0: ObjectModel = olderVersion(DEVICE_1_1, {
  version: '1.0',
  lwm2mVersion: '1.0',
  rows: [
    r(7, 'Power Source Voltage', 'R', 'multi', 'opt', 'integer', '', 'mV'),
    r(8, 'Power Source Current', 'R', 'multi', 'opt', 'integer', '', 'mA'),
    r(9, 'Battery Level', 'R', 'single', 'opt', 'integer', '0..100', '%'),
    r(10, 'Memory Free', 'R', 'single', 'opt', 'integer', '', 'KB'),
    r(11, 'Error Code', 'R', 'multi', 'mand', 'integer', '0..8'),
  ],
});
