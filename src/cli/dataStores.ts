// Where `lwm2m server` and `lwm2m bootstrap` keep their data (issue 14 item 3; DESIGN.md,
// Persistence): by default an SQLite file in ./data (`--data-dir`), so a restart or a crash loses
// no registration, observation, queued request, bootstrap config or credential; `--store memory` opts out. A data
// file that cannot be used (corrupt, locked by another process, written by a newer version) stops
// the start with its reason (exit code 2), never a silent empty start.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { BootstrapConfig } from '../lwm2m/BootstrapConfig.js';
import { DEFAULT_CONFIG_ENDPOINT } from '../lwm2m/BootstrapConfig.js';
import { MemoryBootstrapConfigStore } from '../store/memory/MemoryBootstrapConfigStore.js';
import type { BootstrapConfigStore } from '../store/BootstrapConfigStore.js';
import type { BootstrapSessionStore } from '../store/BootstrapSessionStore.js';
import type { CompositeSetStore } from '../store/CompositeSetStore.js';
import type { QueuedRequestStore } from '../store/QueuedRequestStore.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';
import type { SecurityStore } from '../store/SecurityStore.js';
import { openSqliteStores, type SqliteStores } from '../store/sqlite/openSqliteStores.js';
import type { Logger } from './logger.js';

/** The store kinds of `--store`. */
export const STORE_KINDS = ['sqlite', 'memory'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** Default of `--data-dir` (relative to the working directory). */
export const DEFAULT_DATA_DIR = 'data';

/** The persistence settings of a command. */
export interface DataStoreCliOptions {
  /**
   * `sqlite` (the command line's default): data in a file of `dataDir`; `memory`: lost at exit.
   * Left out of an options object (an embedder calling runServer): memory.
   */
  readonly store?: StoreKind;
  /** Folder of the data files. Default ./data. */
  readonly dataDir?: string;
}

function storeKindOption(value: string): StoreKind {
  if ((STORE_KINDS as readonly string[]).includes(value)) return value as StoreKind;
  throw new InvalidArgumentError(`must be one of ${STORE_KINDS.join(', ')}`);
}

/** Adds --store and --data-dir to `cmd`. */
export function withDataStoreOptions(cmd: Command): Command {
  return cmd
    .option(
      '--store <kind>',
      `where data is kept: ${STORE_KINDS.join(' or ')} (memory: lost at exit)`,
      storeKindOption,
      'sqlite',
    )
    .option('--data-dir <dir>', 'folder of the data file (with --store sqlite)', DEFAULT_DATA_DIR);
}

/** The stores a command runs on; undefined members: the role's memory defaults. */
export interface DataStores {
  /** The data file, or undefined in memory. */
  readonly file: string | undefined;
  readonly registrations: RegistrationStore | undefined;
  readonly bootstrapConfigs: BootstrapConfigStore | undefined;
  readonly security: SecurityStore | undefined;
  /** Ended bootstrap sessions (the Bootstrap-Server's history). */
  readonly bootstrapSessions: BootstrapSessionStore | undefined;
  /** Requests held for sleeping Queue Mode clients (re-armed at start). */
  readonly queuedRequests: QueuedRequestStore | undefined;
  /** Named path lists of the composite operations. */
  readonly compositeSets: CompositeSetStore | undefined;
  /** Commits pending writes and closes the file. */
  close(): Promise<void>;
}

const IN_MEMORY: DataStores = {
  file: undefined,
  registrations: undefined,
  bootstrapConfigs: undefined,
  security: undefined,
  bootstrapSessions: undefined,
  queuedRequests: undefined,
  compositeSets: undefined,
  close: () => Promise.resolve(),
};

/**
 * Opens the stores `o` asks for, the file being `fileName` in the data directory, and logs where
 * data is kept (one line). Throws SqliteOpenError / SqliteSchemaVersionError for an unusable file.
 */
export async function openDataStores(
  o: DataStoreCliOptions,
  fileName: string,
  log: Logger,
): Promise<DataStores> {
  if ((o.store ?? 'memory') === 'memory') {
    log.info({ store: 'memory' }, 'data kept in memory only (--store memory): a restart loses it');
    return IN_MEMORY;
  }
  const file = resolve(o.dataDir ?? DEFAULT_DATA_DIR, fileName);
  const stores: SqliteStores = await openSqliteStores(file);
  log.info(
    {
      store: 'sqlite',
      file,
      registrations: await stores.registrations.size(),
      observations: await stores.registrations.observations.size(),
      bootstrapSessions: stores.bootstrapSessions.stats().sessions,
    },
    'data kept in SQLite',
  );
  return {
    file,
    registrations: stores.registrations,
    bootstrapConfigs: stores.bootstrapConfigs,
    security: stores.security,
    bootstrapSessions: stores.bootstrapSessions,
    queuedRequests: stores.queuedRequests,
    compositeSets: stores.compositeSets,
    close: () => stores.close(),
  };
}

/**
 * The bootstrap config store of a command: the data file's with the configs of the command line
 * written in (a --config file's entries replace stored ones of the same endpoint; the quick-start
 * default `*` is written only when none is stored, so one edited over REST is kept), or memory.
 */
export async function seededConfigStore(
  data: DataStores,
  configs: ReadonlyMap<string, BootstrapConfig>,
  quickStartDefault: boolean,
): Promise<BootstrapConfigStore> {
  const store = data.bootstrapConfigs;
  if (!store) return new MemoryBootstrapConfigStore(configs);
  for (const [endpoint, config] of configs) {
    if (endpoint === DEFAULT_CONFIG_ENDPOINT && quickStartDefault && (await store.getExact(endpoint)))
      continue;
    await store.put(endpoint, config);
  }
  return store;
}

/** The credentials store: the data file's with those of `fromFile` (--security-file) written in, or `fromFile`. */
export async function seededSecurityStore(data: DataStores, fromFile: SecurityStore): Promise<SecurityStore> {
  const store = data.security;
  if (!store) return fromFile;
  for await (const info of fromFile.all()) await store.put(info);
  return store;
}
