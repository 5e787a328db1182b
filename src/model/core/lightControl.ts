// IPSO Smart Objects (OMNA registry, urn:oma:lwm2m:ext:3311): object 3311, Light Control,
// object version 1.0.
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, resourceRow as r } from './defineObject.js';

/** Light Control 1.0: switch and dim a light source and read its energy use. */
export const LIGHT_CONTROL_1_0: ObjectModel = defineObject(
  {
    id: 3311,
    name: 'Light Control',
    description: 'A light source: on/off, dimmer level, time on, colour and energy consumed.',
    version: '1.0',
    lwm2mVersion: '1.0',
    namespace: 'ext',
    instances: 'multi',
    requirement: 'opt',
  },
  [
    r(5850, 'On/Off', 'RW', 'single', 'mand', 'boolean'),
    r(5851, 'Dimmer', 'RW', 'single', 'opt', 'integer', '0..100', '/100'),
    r(5852, 'On time', 'RW', 'single', 'opt', 'integer', '', 's'),
    r(5805, 'Cumulative active power', 'R', 'single', 'opt', 'float', '', 'Wh'),
    r(5820, 'Power factor', 'R', 'single', 'opt', 'float'),
    r(5706, 'Colour', 'RW', 'single', 'opt', 'string'),
    r(5701, 'Sensor Units', 'R', 'single', 'opt', 'string'),
    r(5750, 'Application Type', 'RW', 'single', 'opt', 'string'),
  ],
);
