// LwM2M Core TS 1.1.1 Appendix E.3 and section 7.3: an Access Control (object 2) instance giving
// servers rights on one object instance (instance 65535: Create rights on the object).
import { ACCESS_CONTROL_1_1 } from '../../model/core/accessControl.js';
import type { ObjectModel } from '../../model/ObjectModel.js';
import { declareInstance, type DeclaredInstance } from '../declareInstance.js';

/** Settings of one Access Control instance. */
export interface AccessControlOptions {
  readonly id: number;
  readonly objectId: number;
  readonly instanceId: number;
  /** ACL bits by Short Server ID (0 = default), see AccessRight. */
  readonly acl: Readonly<Record<number, number>>;
  /** Short Server ID of the Access Control Owner. */
  readonly owner: number;
  readonly model?: ObjectModel;
}

/** An Access Control instance. */
export function accessControlInstance(o: AccessControlOptions): DeclaredInstance {
  const acl = new Map(Object.entries(o.acl).map(([k, v]) => [Number(k), v]));
  return declareInstance(o.model ?? ACCESS_CONTROL_1_1, o.id, {
    0: o.objectId,
    1: o.instanceId,
    2: acl,
    3: o.owner,
  });
}
