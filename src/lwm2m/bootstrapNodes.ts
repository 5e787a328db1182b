// LwM2M Core TS 1.1.1 Appendix E.1 (Security), E.2 (Server) and E.3 (Access Control): the object
// instance nodes a Bootstrap-Write carries for a BootstrapConfig, and the instances of other
// objects built from its `objects` values typed by the object models.
import type {
  AclInstanceConfig,
  JsonValue,
  SecurityInstanceConfig,
  ServerInstanceConfig,
} from './BootstrapConfig.js';
import { SECURITY_MODE_CODES } from './BootstrapConfig.js';
import { BadRequestError } from './errors.js';
import type { ObjectInstanceNode, ResourceNode } from './Lwm2mNode.js';
import { Lwm2mPath } from './Lwm2mPath.js';
import type { Lwm2mValue } from './Lwm2mValue.js';
import { instance, multipleResource, resource, resourceInstance } from './nodes.js';
import {
  booleanValue,
  integerValue,
  opaqueValue,
  stringValue,
  unsignedValue,
  valueFromJs,
} from './values.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { keyMaterialToWrite } from './securityKeyMaterial.js';

const EMPTY = new Uint8Array(0);

/**
 * Security object (0) instance `id`; the mandatory key resources 3-5 are empty when absent. In
 * modes 1 and 2 the keys are written in the encodings of keyMaterialToWrite (private key PKCS#8
 * DER, raw public keys DER SubjectPublicKeyInfo, certificates DER).
 */
export function securityInstanceNode(id: number, s: SecurityInstanceConfig): ObjectInstanceNode {
  const given = {
    publicKeyOrIdentity: s.publicKeyOrIdentity ?? EMPTY,
    serverPublicKey: s.serverPublicKey ?? EMPTY,
    secretKey: s.secretKey ?? EMPTY,
  };
  const keys =
    s.securityMode === 'rpk' || s.securityMode === 'x509' ? keyMaterialToWrite(s.securityMode, given) : given;
  const r: ResourceNode[] = [
    resource(0, stringValue(s.uri)),
    resource(1, booleanValue(s.bootstrapServer)),
    resource(2, integerValue(SECURITY_MODE_CODES[s.securityMode])),
    resource(3, opaqueValue(keys.publicKeyOrIdentity)),
    resource(4, opaqueValue(keys.serverPublicKey)),
    resource(5, opaqueValue(keys.secretKey)),
  ];
  if (s.shortServerId !== undefined) r.push(resource(10, integerValue(s.shortServerId)));
  if (s.clientHoldOffTime !== undefined) r.push(resource(11, integerValue(s.clientHoldOffTime)));
  if (s.bootstrapServerAccountTimeout !== undefined)
    r.push(resource(12, integerValue(s.bootstrapServerAccountTimeout)));
  if (s.certificateUsage !== undefined) r.push(resource(15, unsignedValue(s.certificateUsage)));
  return instance(id, r);
}

/** Server object (1) instance `id`; Notification Storing defaults to true. */
export function serverInstanceNode(id: number, s: ServerInstanceConfig): ObjectInstanceNode {
  const r: ResourceNode[] = [
    resource(0, integerValue(s.shortServerId)),
    resource(1, integerValue(s.lifetime)),
  ];
  if (s.defaultMinPeriod !== undefined) r.push(resource(2, integerValue(s.defaultMinPeriod)));
  if (s.defaultMaxPeriod !== undefined) r.push(resource(3, integerValue(s.defaultMaxPeriod)));
  if (s.disableTimeout !== undefined) r.push(resource(5, integerValue(s.disableTimeout)));
  r.push(resource(6, booleanValue(s.notificationStoring ?? true)), resource(7, stringValue(s.binding)));
  return instance(id, r);
}

/** Access Control object (2) instance `id`. */
export function aclInstanceNode(id: number, a: AclInstanceConfig): ObjectInstanceNode {
  const entries = Object.entries(a.acl)
    .map(([ssid, rights]) => resourceInstance(Number(ssid), integerValue(rights)))
    .sort((x, y) => x.id - y.id);
  const r: ResourceNode[] = [
    resource(0, integerValue(a.objectId)),
    resource(1, integerValue(a.objectInstanceId)),
  ];
  if (entries.length > 0) r.push(multipleResource(2, entries, 'integer'));
  r.push(resource(3, integerValue(a.owner)));
  return instance(id, r);
}

/** One object instance to Bootstrap-Write, at its instance path. */
export interface InstanceWrite {
  readonly path: Lwm2mPath;
  readonly node: ObjectInstanceNode;
}

/**
 * The `objects` values of a config as one instance node per object instance, in path order.
 * Values are typed by the models (opaque strings are hex); a multiple resource takes an object of
 * resource instance id → value. Throws BadRequestError for an unknown object or resource, a path
 * that is not a resource path, or a value that does not fit its type.
 */
export function bootstrapObjectNodes(
  objects: Readonly<Record<string, JsonValue>>,
  models: ModelLookup,
): InstanceWrite[] {
  const byInstance = new Map<string, { path: Lwm2mPath; resources: ResourceNode[] }>();
  for (const [text, js] of Object.entries(objects)) {
    let path: Lwm2mPath;
    try {
      path = Lwm2mPath.parse(text);
    } catch (e) {
      throw new BadRequestError(`"${text.slice(0, 40)}": ${(e as Error).message}`);
    }
    if (path.length !== 3) throw new BadRequestError(`${text}: give a resource path /{o}/{i}/{r}`);
    const model = models.getObject(path.objectId!)?.resources.get(path.resourceId!);
    if (!model || model.type === 'none')
      throw new BadRequestError(`${text}: no such writable resource in the models`);
    const type = model.type;
    const typed = (v: JsonValue, at: string): Lwm2mValue => {
      try {
        if (type === 'opaque' && typeof v === 'string' && /^(?:[0-9a-fA-F]{2})*$/.test(v))
          return opaqueValue(Uint8Array.from(Buffer.from(v, 'hex')));
        if (v === null || (typeof v === 'object' && type !== 'objlnk'))
          throw new Error(`not a ${type} value`);
        return valueFromJs(type, v);
      } catch (e) {
        throw new BadRequestError(`${at}: ${(e as Error).message}`);
      }
    };
    let node: ResourceNode;
    if (model.multiple) {
      if (typeof js !== 'object' || js === null || Array.isArray(js))
        throw new BadRequestError(`${text}: a multiple resource takes { "instanceId": value }`);
      const entries = Object.entries(js).map(([ri, v]) => {
        if (!/^(0|[1-9][0-9]{0,4})$/.test(ri) || Number(ri) > 65534)
          throw new BadRequestError(`${text}/${ri.slice(0, 10)}: not a resource instance id`);
        return resourceInstance(Number(ri), typed(v, `${text}/${ri}`));
      });
      node = multipleResource(
        path.resourceId!,
        entries.sort((a, b) => a.id - b.id),
        type,
      );
    } else node = resource(path.resourceId!, typed(js, text));
    const key = `${path.objectId}/${path.instanceId}`;
    let group = byInstance.get(key);
    if (!group) byInstance.set(key, (group = { path: path.parent(), resources: [] }));
    group.resources.push(node);
  }
  return [...byInstance.values()]
    .sort((a, b) => a.path.objectId! - b.path.objectId! || a.path.instanceId! - b.path.instanceId!)
    .map(({ path, resources }) => ({
      path,
      node: instance(
        path.instanceId!,
        resources.sort((a, b) => a.id - b.id),
      ),
    }));
}
