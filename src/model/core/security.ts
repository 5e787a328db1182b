// OMA LwM2M Core TS 1.0.2 Appendix E.1, 1.1.1 Appendix E.1 and 1.2 Appendix E.1: object 0,
// LwM2M Security, in object versions 1.0, 1.1 and 1.2. Ranges are written in the 1.2 notation
// ("0..255" where the 1.0 DDF had "0-255 bytes"); the "s" unit the 1.1 DDF gave the Matching Type
// and Certificate Usage enumerations (an erratum, dropped in 1.2) is left out.
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, olderVersion, resourceRow as r } from './defineObject.js';

/** LwM2M Security 1.2: keys and server URIs for the servers and bootstrap server (no operations: bootstrap only). */
export const SECURITY_1_2: ObjectModel = defineObject(
  {
    id: 0,
    name: 'LWM2M Security',
    description: 'How to reach and authenticate to one LwM2M Server or the Bootstrap-Server.',
    version: '1.2',
    lwm2mVersion: '1.1',
    namespace: 'oma',
    instances: 'multi',
    requirement: 'mand',
  },
  [
    r(0, 'LWM2M Server URI', '', 'single', 'mand', 'string', '0..255'),
    r(1, 'Bootstrap-Server', '', 'single', 'mand', 'boolean'),
    r(2, 'Security Mode', '', 'single', 'mand', 'integer', '0..4'),
    r(3, 'Public Key or Identity', '', 'single', 'mand', 'opaque'),
    r(4, 'Server Public Key', '', 'single', 'mand', 'opaque'),
    r(5, 'Secret Key', '', 'single', 'mand', 'opaque'),
    r(6, 'SMS Security Mode', '', 'single', 'opt', 'integer', '0..255'),
    r(7, 'SMS Binding Key Parameters', '', 'single', 'opt', 'opaque', '6'),
    r(8, 'SMS Binding Secret Key(s)', '', 'single', 'opt', 'opaque', '16,32,48'),
    r(9, 'LwM2M Server SMS Number', '', 'single', 'opt', 'string'),
    r(10, 'Short Server ID', '', 'single', 'opt', 'integer', '1..65534'),
    r(11, 'Client Hold Off Time', '', 'single', 'opt', 'integer', '', 's'),
    r(12, 'Bootstrap-Server Account Timeout', '', 'single', 'opt', 'integer', '', 's'),
    r(13, 'Matching Type', '', 'single', 'opt', 'unsignedInteger', '0..3'),
    r(14, 'SNI', '', 'single', 'opt', 'string'),
    r(15, 'Certificate Usage', '', 'single', 'opt', 'unsignedInteger', '0..3'),
    r(16, 'DTLS/TLS Ciphersuite', '', 'multi', 'opt', 'unsignedInteger'),
    r(17, 'OSCORE Security Mode', '', 'single', 'opt', 'objlnk'),
    r(18, 'Groups To Use by Client', '', 'multi', 'opt', 'unsignedInteger', '0..65535'),
    r(19, 'Signature Algorithms Supported by Server', '', 'multi', 'opt', 'unsignedInteger', '0..65535'),
    r(20, 'Signature Algorithms To Use by Client', '', 'multi', 'opt', 'unsignedInteger', '0..65535'),
    r(21, 'Signature Algorithm Certs Supported by Server', '', 'multi', 'opt', 'unsignedInteger', '0..65535'),
    r(22, 'TLS 1.3 Features To Use by Client', '', 'single', 'opt', 'unsignedInteger', '0..65535'),
    r(23, 'TLS Extensions Supported by Server', '', 'single', 'opt', 'unsignedInteger', '0..65535'),
    r(24, 'TLS Extensions To Use by Client', '', 'single', 'opt', 'unsignedInteger', '0..65535'),
    r(25, 'Secondary LwM2M Server URI', '', 'multi', 'opt', 'string', '0..255'),
    r(26, 'MQTT Server', '', 'single', 'opt', 'objlnk'),
    r(27, 'LwM2M COSE Security', '', 'multi', 'opt', 'objlnk'),
    r(28, 'RDS Destination Port', '', 'single', 'opt', 'integer', '0..15'),
    r(29, 'RDS Source Port', '', 'single', 'opt', 'integer', '0..15'),
    r(30, 'RDS Application ID', '', 'single', 'opt', 'string'),
  ],
);

const FROM_1_2 = [18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30];

/** LwM2M Security 1.1 (LwM2M 1.1): adds resources 13-17 (matching, SNI, certificate usage, ciphersuites, OSCORE). */
export const SECURITY_1_1: ObjectModel = olderVersion(SECURITY_1_2, { version: '1.1', without: FROM_1_2 });

/** LwM2M Security 1.0 (LwM2M 1.0): resources 0-12. */
export const SECURITY_1_0: ObjectModel = olderVersion(SECURITY_1_2, {
  version: '1.0',
  lwm2mVersion: '1.0',
  without: [13, 14, 15, 16, 17, ...FROM_1_2],
});
