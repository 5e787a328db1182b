// OMA LwM2M Core TS 1.0.2 Appendix E.7 (unchanged since): object 6, Location, object version 1.0.
import type { ObjectModel } from '../ObjectModel.js';
import { defineObject, resourceRow as r } from './defineObject.js';

/** Location 1.0: the device's position, speed and the time it was measured. */
export const LOCATION_1_0: ObjectModel = defineObject(
  {
    id: 6,
    name: 'Location',
    description: 'Latitude, longitude, altitude, uncertainty and velocity of the device, with a timestamp.',
    version: '1.0',
    lwm2mVersion: '1.0',
    namespace: 'oma',
    instances: 'single',
    requirement: 'opt',
  },
  [
    r(0, 'Latitude', 'R', 'single', 'mand', 'float', '', 'lat'),
    r(1, 'Longitude', 'R', 'single', 'mand', 'float', '', 'lon'),
    r(2, 'Altitude', 'R', 'single', 'opt', 'float', '', 'm'),
    r(3, 'Radius', 'R', 'single', 'opt', 'float', '', 'm'),
    // Velocity is a 3GPP TS 23.032 GAD-encoded octet string.
    r(4, 'Velocity', 'R', 'single', 'opt', 'opaque'),
    r(5, 'Timestamp', 'R', 'single', 'mand', 'time'),
    r(6, 'Speed', 'R', 'single', 'opt', 'float', '', 'm/s'),
  ],
);
