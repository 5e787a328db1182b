// A private test object (LwM2M Core TS 1.1.1 Appendix D: one resource of every value type, a
// writable multiple resource, a read-only one and an executable) declared on the client and known
// to the server, so every content format is exercised on every value type end to end.
import { defineObject, resourceRow as r } from '../../../src/model/core/defineObject.js';
import type { ObjectModel } from '../../../src/model/ObjectModel.js';

/** Object id of the test object (private range, namespace x). */
export const TEST_OBJECT_ID = 32769;

/** The test object: multi-instance, optional. */
export const TEST_OBJECT: ObjectModel = defineObject(
  {
    id: TEST_OBJECT_ID,
    name: 'Integration Test Object',
    description: 'One resource per value type, for end-to-end tests.',
    version: '1.0',
    lwm2mVersion: '1.0',
    namespace: 'x',
    instances: 'multi',
    requirement: 'opt',
  },
  [
    r(0, 'Name', 'RW', 'single', 'mand', 'string'),
    r(1, 'Count', 'RW', 'single', 'opt', 'integer'),
    r(2, 'Ratio', 'RW', 'single', 'opt', 'float'),
    r(3, 'Flag', 'RW', 'single', 'opt', 'boolean'),
    r(4, 'Blob', 'RW', 'single', 'opt', 'opaque'),
    r(5, 'Stamp', 'RW', 'single', 'opt', 'time'),
    r(6, 'Link', 'RW', 'single', 'opt', 'objlnk'),
    r(7, 'Tags', 'RW', 'multi', 'opt', 'string'),
    r(8, 'Readings', 'R', 'multi', 'opt', 'float'),
    r(9, 'Reset', 'E', 'single', 'opt', 'none'),
  ],
);
