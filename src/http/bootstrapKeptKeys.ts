// Issue 16 item 5: a bootstrap config read back from the API carries `secretKeyLength` in place of
// each Security instance's `secretKey` (keys are write-only, redactedBootstrapConfigJson), so an
// operator editing a config (the web UI's form or JSON tab) cannot send the key again. A PUT may
// therefore give `"secretKeyLength": n` without `secretKey` in a Security instance: it keeps the
// key the stored config of that endpoint holds for the same instance, if that key is n bytes long
// (what the answer the editor started from said). Anything else is a 400 naming the field.
import type { BootstrapConfig } from '../lwm2m/BootstrapConfig.js';
import { bytesToHex, InvalidBootstrapConfigError } from '../lwm2m/bootstrapConfigJson.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `body` with every `secretKeyLength` of its Security instances replaced by the stored key of the
 * same instance of `stored` (the endpoint's current config). Returns `body` itself when there is
 * none; never changes it.
 */
export function withKeptSecretKeys(body: unknown, stored: BootstrapConfig | undefined): unknown {
  if (!isObj(body) || !isObj(body.security)) return body;
  let security: Obj | undefined;
  for (const [id, instance] of Object.entries(body.security)) {
    if (!isObj(instance) || !('secretKeyLength' in instance)) continue;
    const at = `security.${id}.secretKeyLength`;
    const { secretKeyLength, ...rest } = instance;
    if ('secretKey' in instance)
      throw new InvalidBootstrapConfigError(
        at,
        'give secretKey or secretKeyLength (keep the stored key), not both',
      );
    const key = /^(0|[1-9][0-9]{0,4})$/.test(id) ? stored?.security[Number(id)]?.secretKey : undefined;
    if (key === undefined)
      throw new InvalidBootstrapConfigError(
        at,
        'keeps the stored key of this Security instance, but the stored config has none: give secretKey',
      );
    if (secretKeyLength !== key.length)
      throw new InvalidBootstrapConfigError(
        at,
        'does not match the stored key of this Security instance (changed meanwhile?): give secretKey',
      );
    security ??= { ...body.security };
    security[id] = { ...rest, secretKey: bytesToHex(key) };
  }
  return security === undefined ? body : { ...body, security };
}
