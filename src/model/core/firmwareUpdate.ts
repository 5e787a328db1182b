// OMA LwM2M Core TS 1.0.2, 1.1.1 and 1.2 Appendix E.6: object 5, Firmware Update, in object
// versions 1.0, 1.1 and 1.2.
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, olderVersion, resourceRow as r } from './defineObject.js';

/** Firmware Update 1.2: push (Package) or pull (Package URI) a firmware image, then Update. */
export const FIRMWARE_UPDATE_1_2: ObjectModel = defineObject(
  {
    id: 5,
    name: 'Firmware Update',
    description:
      'Delivers a firmware package by push or pull, runs the update and reports its state and result.',
    version: '1.2',
    lwm2mVersion: '1.1',
    namespace: 'oma',
    instances: 'single',
    requirement: 'opt',
  },
  [
    r(0, 'Package', 'W', 'single', 'mand', 'opaque'),
    r(1, 'Package URI', 'RW', 'single', 'mand', 'string', '0..255'),
    r(2, 'Update', 'E', 'single', 'mand', 'none'),
    // State (E.6.1): 0 idle, 1 downloading, 2 downloaded, 3 updating.
    r(3, 'State', 'R', 'single', 'mand', 'integer', '0..3'),
    r(5, 'Update Result', 'R', 'single', 'mand', 'integer', '0..11'),
    r(6, 'PkgName', 'R', 'single', 'opt', 'string', '0..255'),
    r(7, 'PkgVersion', 'R', 'single', 'opt', 'string', '0..255'),
    r(8, 'Firmware Update Protocol Support', 'R', 'multi', 'opt', 'integer', '0..5'),
    r(9, 'Firmware Update Delivery Method', 'R', 'single', 'mand', 'integer', '0..2'),
    r(10, 'Cancel', 'E', 'single', 'opt', 'none'),
    r(11, 'Severity', 'RW', 'single', 'opt', 'integer', '0..2'),
    r(12, 'Last State Change Time', 'R', 'single', 'opt', 'time'),
    r(13, 'Maximum Defer Period', 'RW', 'single', 'opt', 'unsignedInteger', '', 's'),
    r(14, 'Automatic Upgrade at Download', 'RW', 'single', 'opt', 'boolean'),
  ],
);

/** Firmware Update 1.1 (LwM2M 1.1): adds cancel, severity, state change time and defer period. */
export const FIRMWARE_UPDATE_1_1: ObjectModel = olderVersion(FIRMWARE_UPDATE_1_2, {
  version: '1.1',
  without: [14],
});

/** Firmware Update 1.0 (LwM2M 1.0): resources 0-9 (no 4), update results 0..9. */
export const FIRMWARE_UPDATE_1_0: ObjectModel = olderVersion(FIRMWARE_UPDATE_1_2, {
  version: '1.0',
  lwm2mVersion: '1.0',
  without: [10, 11, 12, 13, 14],
  rows: [r(5, 'Update Result', 'R', 'single', 'mand', 'integer', '0..9')],
});
