// A BootstrapConfig as the JSON column of the bootstrap_configs table. The byte strings of the
// Security instances (identity, server key, secret key) are hex; every other field is JSON already.
import type { BootstrapConfig, SecurityInstanceConfig } from '../../lwm2m/BootstrapConfig.js';

const BYTE_FIELDS = ['publicKeyOrIdentity', 'serverPublicKey', 'secretKey'] as const;

type StoredSecurity = Omit<SecurityInstanceConfig, (typeof BYTE_FIELDS)[number]> &
  Partial<Record<(typeof BYTE_FIELDS)[number], string>>;

/** The JSON column of `config`. */
export function encodeBootstrapConfig(config: BootstrapConfig): string {
  const security: Record<string, StoredSecurity> = {};
  for (const [id, instance] of Object.entries(config.security)) {
    const stored: Record<string, unknown> = { ...instance };
    for (const f of BYTE_FIELDS) {
      const bytes = instance[f];
      if (bytes !== undefined) stored[f] = Buffer.from(bytes).toString('hex');
    }
    security[id] = stored as StoredSecurity;
  }
  return JSON.stringify({ ...config, security });
}

/** The BootstrapConfig of one row; throws when the row is not valid JSON. */
export function decodeBootstrapConfig(text: string): BootstrapConfig {
  const parsed = JSON.parse(text) as Omit<BootstrapConfig, 'security'> & {
    security: Record<string, StoredSecurity>;
  };
  const security: Record<number, SecurityInstanceConfig> = {};
  for (const [id, stored] of Object.entries(parsed.security)) {
    const instance: Record<string, unknown> = { ...stored };
    for (const f of BYTE_FIELDS) {
      const hex = stored[f];
      if (hex !== undefined) instance[f] = Uint8Array.from(Buffer.from(hex, 'hex'));
    }
    security[Number(id)] = instance as unknown as SecurityInstanceConfig;
  }
  return { ...parsed, security };
}
