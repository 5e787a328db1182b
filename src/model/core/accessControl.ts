// OMA LwM2M Core TS 1.0.2 and 1.1.1 Appendix E.3: object 2, LwM2M Access Control, in object
// versions 1.0 and 1.1 (they differ only in the ACL range notation).
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, olderVersion, resourceRow as r } from './defineObject.js';

/** LwM2M Access Control 1.1: which server may do what on one object instance. */
export const ACCESS_CONTROL_1_1: ObjectModel = defineObject(
  {
    id: 2,
    name: 'LwM2M Access Control',
    description: 'Per-server access rights (ACL) on one object or object instance, and its owner.',
    version: '1.1',
    lwm2mVersion: '1.0',
    namespace: 'oma',
    instances: 'multi',
    requirement: 'opt',
  },
  [
    r(0, 'Object ID', 'R', 'single', 'mand', 'integer', '1..65534'),
    r(1, 'Object Instance ID', 'R', 'single', 'mand', 'integer', '0..65535'),
    // ACL bits (Core TS E.3): 1 read/observe/discover/write-attributes, 2 write, 4 execute, 8 delete, 16 create.
    r(2, 'ACL', 'RW', 'multi', 'opt', 'integer', '0..31'),
    r(3, 'Access Control Owner', 'RW', 'single', 'mand', 'integer', '0..65535'),
  ],
);

/** LwM2M Access Control 1.0: same resources; the ACL range was written as "16-bit". */
export const ACCESS_CONTROL_1_0: ObjectModel = olderVersion(ACCESS_CONTROL_1_1, {
  version: '1.0',
  rows: [r(2, 'ACL', 'RW', 'multi', 'opt', 'integer', '16-bit')],
});
