// Fixtures from the specification examples shared by the SenML, LwM2M JSON and LwM2M CBOR tests.
import type { Lwm2mNode } from '../../src/lwm2m/Lwm2mNode.js';
import { instance, multipleResource, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import { integerValue, stringValue, timeValue } from '../../src/lwm2m/values.js';

/** Core TS 1.1.1 section 7.4.4: Read on the Device object instance /3/0. */
export const DEVICE_SENML_JSON =
  '[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"1","vs":"Lightweight M2M Client"},' +
  '{"n":"2","vs":"345000123"},{"n":"3","vs":"1.0"},{"n":"6/0","v":1},{"n":"6/1","v":5},' +
  '{"n":"7/0","v":3800},{"n":"7/1","v":5000},{"n":"8/0","v":125},{"n":"8/1","v":900},' +
  '{"n":"9","v":100},{"n":"10","v":15},{"n":"11/0","v":0},{"n":"13","v":1367491215},' +
  '{"n":"14","vs":"+02:00"},{"n":"16","vs":"U"}]';

/** The Device object instance of the specification's examples. */
export const DEVICE_NODE: Lwm2mNode = instance(0, [
  resource(0, stringValue('Open Mobile Alliance')),
  resource(1, stringValue('Lightweight M2M Client')),
  resource(2, stringValue('345000123')),
  resource(3, stringValue('1.0')),
  multipleResource(6, [resourceInstance(0, integerValue(1)), resourceInstance(1, integerValue(5))]),
  multipleResource(7, [resourceInstance(0, integerValue(3800)), resourceInstance(1, integerValue(5000))]),
  multipleResource(8, [resourceInstance(0, integerValue(125)), resourceInstance(1, integerValue(900))]),
  resource(9, integerValue(100)),
  resource(10, integerValue(15)),
  multipleResource(11, [resourceInstance(0, integerValue(0))]),
  resource(13, timeValue(1367491215)),
  resource(14, stringValue('+02:00')),
  resource(16, stringValue('U')),
]);
