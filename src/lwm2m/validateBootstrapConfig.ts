// LwM2M Core TS 1.1.1 sections 5.2.7.4-5.2.7.5 and 6.1 (Bootstrap-Write, -Delete, bootstrap
// sequence): the checks of a BootstrapConfig as a whole, on top of the field checks of
// bootstrapConfigJson.ts. A config that writes nothing while its deletes remove the server
// accounts (`{}` deletes /0 and /1 by default) would leave the client with no LwM2M Server, so
// it would bootstrap again and again: it is refused wherever a config enters (library store,
// REST API, config file) rather than found out on a device.
import { DEFAULT_DELETE_PATHS, type BootstrapConfig } from './BootstrapConfig.js';
import { InvalidBootstrapConfigError } from './bootstrapConfigFields.js';

/** Number of object instances (and `objects` resource values) `config` writes. */
export function bootstrapWriteCount(config: BootstrapConfig): number {
  return (
    Object.keys(config.security).length +
    Object.keys(config.servers).length +
    Object.keys(config.acl ?? {}).length +
    Object.keys(config.objects ?? {}).length
  );
}

/** True for '/', the Security or Server object, or one of their instances. */
const removesAccounts = (path: string): boolean => /^\/(?:[01](?:\/\d+)?)?$/.test(path);

/** Throws InvalidBootstrapConfigError when `config` deletes the server accounts and writes nothing. */
export function validateBootstrapConfig(config: BootstrapConfig): void {
  if (bootstrapWriteCount(config) > 0) return;
  const deletes = config.delete ?? DEFAULT_DELETE_PATHS;
  const removing = deletes.filter(removesAccounts);
  if (removing.length === 0) return;
  const implicit = config.delete === undefined ? ' (the default delete list)' : '';
  throw new InvalidBootstrapConfigError(
    '',
    `writes nothing but deletes ${removing.join(', ')}${implicit}: the client would be left without ` +
      'an LwM2M Server account; give "security" and "servers" instances to write',
  );
}
