// OMA LwM2M Core TS 1.0.2, 1.1.1 and 1.2 Appendix E.2: object 1, LwM2M Server, in object versions
// 1.0, 1.1 and 1.2. The first 1.1 DDF left the operations of resources 13-20 empty; the 1.1.1
// bug-fix release and 1.2 give them, and version 1.1 here uses those. The Short Server ID range
// is 1..65534 in every version (the 1.0 DDF wrote "1-65535", but 65535 is reserved).
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, olderVersion, resourceRow as r } from './defineObject.js';

/** LwM2M Server 1.2: registration parameters of one LwM2M Server account. */
export const SERVER_1_2: ObjectModel = defineObject(
  {
    id: 1,
    name: 'LwM2M Server',
    description: 'Registration settings the client keeps for one LwM2M Server (not the Bootstrap-Server).',
    version: '1.2',
    lwm2mVersion: '1.2',
    namespace: 'oma',
    instances: 'multi',
    requirement: 'mand',
  },
  [
    r(0, 'Short Server ID', 'R', 'single', 'mand', 'integer', '1..65534'),
    r(1, 'Lifetime', 'RW', 'single', 'mand', 'integer', '', 's'),
    r(2, 'Default Minimum Period', 'RW', 'single', 'opt', 'integer', '', 's'),
    r(3, 'Default Maximum Period', 'RW', 'single', 'opt', 'integer', '', 's'),
    r(4, 'Disable', 'E', 'single', 'opt', 'none'),
    r(5, 'Disable Timeout', 'RW', 'single', 'opt', 'integer', '', 's'),
    r(6, 'Notification Storing When Disabled or Offline', 'RW', 'single', 'mand', 'boolean'),
    r(7, 'Binding', 'RW', 'single', 'mand', 'string'),
    r(8, 'Registration Update Trigger', 'E', 'single', 'mand', 'none'),
    r(9, 'Bootstrap-Request Trigger', 'E', 'single', 'opt', 'none'),
    r(10, 'APN Link', 'RW', 'single', 'opt', 'objlnk'),
    r(11, 'TLS-DTLS Alert Code', 'R', 'single', 'opt', 'unsignedInteger', '0..255'),
    r(12, 'Last Bootstrapped', 'R', 'single', 'opt', 'time'),
    r(13, 'Registration Priority Order', 'R', 'single', 'opt', 'unsignedInteger'),
    r(14, 'Initial Registration Delay Timer', 'RW', 'single', 'opt', 'unsignedInteger', '', 's'),
    r(15, 'Registration Failure Block', 'R', 'single', 'opt', 'boolean'),
    r(16, 'Bootstrap on Registration Failure', 'R', 'single', 'opt', 'boolean'),
    r(17, 'Communication Retry Count', 'RW', 'single', 'opt', 'unsignedInteger'),
    r(18, 'Communication Retry Timer', 'RW', 'single', 'opt', 'unsignedInteger', '', 's'),
    r(19, 'Communication Sequence Delay Timer', 'RW', 'single', 'opt', 'unsignedInteger', '', 's'),
    r(20, 'Communication Sequence Retry Count', 'RW', 'single', 'opt', 'unsignedInteger'),
    r(21, 'Trigger', 'RW', 'single', 'opt', 'boolean'),
    r(
      22,
      'Preferred Transport',
      'RW',
      'single',
      'opt',
      'string',
      'The possible values are those listed in the LwM2M Core Specification',
    ),
    r(23, 'Mute Send', 'RW', 'single', 'opt', 'boolean'),
    r(24, 'Alternate APN Links', 'RW', 'multi', 'opt', 'objlnk'),
    r(25, 'Supported Server Versions', 'RW', 'multi', 'opt', 'string'),
    r(26, 'Default Notification Mode', 'RW', 'single', 'opt', 'integer', '0..1'),
    r(27, 'Profile ID Hash Algorithm', 'RW', 'single', 'opt', 'unsignedInteger', '0..255'),
  ],
);

const FROM_1_2 = [24, 25, 26, 27];

/** LwM2M Server 1.1 (LwM2M 1.1): adds resources 9-23 (bootstrap trigger, retries, transports, mute send). */
export const SERVER_1_1: ObjectModel = olderVersion(SERVER_1_2, {
  version: '1.1',
  lwm2mVersion: '1.1',
  without: FROM_1_2,
});

/** LwM2M Server 1.0 (LwM2M 1.0): resources 0-8. */
export const SERVER_1_0: ObjectModel = olderVersion(SERVER_1_2, {
  version: '1.0',
  lwm2mVersion: '1.0',
  without: [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, ...FROM_1_2],
});
