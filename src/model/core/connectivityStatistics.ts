// OMA LwM2M Core TS 1.0.2 Appendix E.8 (unchanged since): object 7, Connectivity Statistics,
// object version 1.0.
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, resourceRow as r } from './defineObject.js';

/** Connectivity Statistics 1.0: SMS and data counters collected between Start and Stop. */
export const CONNECTIVITY_STATISTICS_1_0: ObjectModel = defineObject(
  {
    id: 7,
    name: 'Connectivity Statistics',
    description: 'Counters of SMS and IP traffic over a collection period started and stopped by a server.',
    version: '1.0',
    lwm2mVersion: '1.0',
    namespace: 'oma',
    instances: 'single',
    requirement: 'opt',
  },
  [
    r(0, 'SMS Tx Counter', 'R', 'single', 'opt', 'integer'),
    r(1, 'SMS Rx Counter', 'R', 'single', 'opt', 'integer'),
    r(2, 'Tx Data', 'R', 'single', 'opt', 'integer'),
    r(3, 'Rx Data', 'R', 'single', 'opt', 'integer'),
    r(4, 'Max Message Size', 'R', 'single', 'opt', 'integer', '', 'B'),
    r(5, 'Average Message Size', 'R', 'single', 'opt', 'integer', '', 'B'),
    r(6, 'Start', 'E', 'single', 'mand', 'none'),
    r(7, 'Stop', 'E', 'single', 'mand', 'none'),
    r(8, 'Collection Period', 'RW', 'single', 'opt', 'integer', '', 's'),
  ],
);
