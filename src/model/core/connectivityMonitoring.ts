// OMA LwM2M Core TS 1.0.2, 1.1.1 and 1.2 Appendix E.5 and the OMNA registry: object 4,
// Connectivity Monitoring, in object versions 1.0 to 1.3. Older DDFs wrote ranges as "0-50";
// they are written "0..50" here as in the newer ones, and the "%" unit the 1.1 DDF gave SMNC
// (a network code, not a ratio) is left out.
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, olderVersion, resourceRow as r } from './defineObject.js';

/** Connectivity Monitoring 1.3: bearer, signal, addresses and cell of the current connection. */
export const CONNECTIVITY_MONITORING_1_3: ObjectModel = defineObject(
  {
    id: 4,
    name: 'Connectivity Monitoring',
    description:
      'Network bearer, radio signal, IP addresses, APN and cell identity of the current connection.',
    version: '1.3',
    lwm2mVersion: '1.1',
    namespace: 'oma',
    instances: 'single',
    requirement: 'opt',
  },
  [
    r(0, 'Network Bearer', 'R', 'single', 'mand', 'integer', '0..50'),
    r(1, 'Available Network Bearer', 'R', 'multi', 'mand', 'integer', '0..50'),
    r(2, 'Radio Signal Strength', 'R', 'single', 'mand', 'integer', '', 'dBm'),
    r(3, 'Link Quality', 'R', 'single', 'opt', 'integer'),
    r(4, 'IP Addresses', 'R', 'multi', 'mand', 'string'),
    r(5, 'Router IP Addresses', 'R', 'multi', 'opt', 'string'),
    r(6, 'Link Utilization', 'R', 'single', 'opt', 'integer', '0..100', '/100'),
    r(7, 'APN', 'R', 'multi', 'opt', 'string'),
    r(8, 'Cell ID', 'R', 'single', 'opt', 'integer'),
    r(9, 'SMNC', 'R', 'single', 'opt', 'integer', '0..999'),
    r(10, 'SMCC', 'R', 'single', 'opt', 'integer', '0..999'),
    r(11, 'SignalSNR', 'R', 'single', 'opt', 'integer', '', 'dB'),
    r(12, 'LAC', 'R', 'single', 'opt', 'integer'),
    r(13, 'Coverage Enhancement Level', 'R', 'single', 'opt', 'integer', '0..4'),
  ],
);

const PERCENT_UTILIZATION = r(6, 'Link Utilization', 'R', 'single', 'opt', 'integer', '0..100', '%');

/** Connectivity Monitoring 1.2: no coverage enhancement level; the DDF gave no unit to signal strength. */
export const CONNECTIVITY_MONITORING_1_2: ObjectModel = olderVersion(CONNECTIVITY_MONITORING_1_3, {
  version: '1.2',
  without: [13],
  rows: [r(2, 'Radio Signal Strength', 'R', 'single', 'mand', 'integer'), PERCENT_UTILIZATION],
});

/** Connectivity Monitoring 1.1 (LwM2M 1.0): adds SignalSNR to 1.0. */
export const CONNECTIVITY_MONITORING_1_1: ObjectModel = olderVersion(CONNECTIVITY_MONITORING_1_3, {
  version: '1.1',
  lwm2mVersion: '1.0',
  without: [12, 13],
  rows: [PERCENT_UTILIZATION],
});

/** Connectivity Monitoring 1.0: resources 0-10. */
export const CONNECTIVITY_MONITORING_1_0: ObjectModel = olderVersion(CONNECTIVITY_MONITORING_1_1, {
  version: '1.0',
  without: [11],
});
