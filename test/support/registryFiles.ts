// Locates the OMNA LwM2M registry checkout (../shared/lwm2m-registry beside the project) for the
// model tests. A missing folder skips them loudly, or fails them under CI or REQUIRE_PEERS=1.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the registry folder, with a trailing slash. */
export const REGISTRY_DIR = fileURLToPath(new URL('../../../shared/lwm2m-registry/', import.meta.url));

/** `{ skip }` for node:test when the registry is absent; throws instead under CI / REQUIRE_PEERS=1. */
export function registryAvailability(): { skip?: string } {
  if (existsSync(REGISTRY_DIR)) return {};
  const message = `LWM2M REGISTRY MISSING: ${REGISTRY_DIR} not found; registry tests skipped`;
  if (process.env.REQUIRE_PEERS === '1' || process.env.CI)
    throw new Error(`${message}, but CI/REQUIRE_PEERS is set`);
  console.warn(`\n*** ${message} ***\n`);
  return { skip: message };
}

/** Names of the registry's *.xml files, sorted. */
export function registryXmlFiles(): string[] {
  return readdirSync(REGISTRY_DIR)
    .filter((n) => n.endsWith('.xml'))
    .sort();
}

/** Text of one registry file. */
export function readRegistryFile(name: string): string {
  return readFileSync(REGISTRY_DIR + name, 'utf8');
}
