// OMA LwM2M Core TS 1.1.1 section 7.2.2 (object versions, the "ver" attribute of the register
// payload): object models by id and object version, and lookups pinned to a client's versions.
import type { ModelLookup, ObjectModel } from './ObjectModel.js';
import { ModelRegistryError } from './ModelRegistryError.js';
import { parseDdfVersion } from './ddfValues.js';

/** Options of ModelRegistry.add. */
export interface AddModelOptions {
  /** Replace a model already registered at the same id and version instead of throwing. */
  readonly replace?: boolean;
}

/** Orders "major.minor" versions numerically ("1.10" after "1.9"). */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/**
 * Holds object models, several versions per object id. Without a version, lookups answer the
 * default version of an id: the one set by setDefaultVersion, else the highest registered.
 */
export class ModelRegistry implements ModelLookup {
  private readonly byId = new Map<number, Map<string, ObjectModel>>();
  private readonly defaults = new Map<number, string>();
  /** getObject's answers, cleared whenever a model or a default changes. */
  private readonly defaultModels = new Map<number, ObjectModel | undefined>();

  /** A registry holding `models`. */
  constructor(models: Iterable<ObjectModel> = []) {
    for (const model of models) this.add(model);
  }

  /** Adds a model; throws LWM2M_DUPLICATE_MODEL if its (id, version) is taken, unless `replace`. */
  add(model: ObjectModel, options: AddModelOptions = {}): this {
    if (
      !Number.isInteger(model.id) ||
      model.id < 0 ||
      model.id > 65534 ||
      parseDdfVersion(model.version) !== model.version
    ) {
      throw new ModelRegistryError(
        `invalid model: id ${model.id}, version "${model.version}"`,
        'LWM2M_INVALID_MODEL',
      );
    }
    let versions = this.byId.get(model.id);
    if (!versions) this.byId.set(model.id, (versions = new Map()));
    if (versions.has(model.version) && !options.replace) {
      throw new ModelRegistryError(
        `object ${model.id} version ${model.version} is already registered (pass { replace: true } to replace it)`,
        'LWM2M_DUPLICATE_MODEL',
      );
    }
    versions.set(model.version, model);
    this.defaultModels.clear();
    return this;
  }

  /** Adds every model of `models` with the same options. */
  addAll(models: Iterable<ObjectModel>, options: AddModelOptions = {}): this {
    for (const model of models) this.add(model, options);
    return this;
  }

  /** The model of `objectId` at `version`, or at its default version when `version` is omitted. */
  get(objectId: number, version?: string): ObjectModel | undefined {
    const resolved = version ?? this.defaultVersion(objectId);
    return resolved === undefined ? undefined : this.byId.get(objectId)?.get(resolved);
  }

  /** ModelLookup: the default version of `objectId` (cached: decoders call this per record). */
  getObject(objectId: number): ObjectModel | undefined {
    const cached = this.defaultModels.get(objectId);
    if (cached !== undefined || this.defaultModels.has(objectId)) return cached;
    const model = this.get(objectId);
    this.defaultModels.set(objectId, model); // at most 65 536 ids, so bounded
    return model;
  }

  /** True when `objectId` is known (at `version`, when given). */
  has(objectId: number, version?: string): boolean {
    return this.get(objectId, version) !== undefined;
  }

  /** Registered versions of `objectId`, lowest first. */
  versions(objectId: number): string[] {
    return [...(this.byId.get(objectId)?.keys() ?? [])].sort(compareVersions);
  }

  /** Known object ids, ascending. */
  objectIds(): number[] {
    return [...this.byId.keys()].sort((a, b) => a - b);
  }

  /** Every model, by object id then version. */
  all(): ObjectModel[] {
    return this.objectIds().flatMap((id) =>
      this.versions(id).map((v) => this.byId.get(id)?.get(v) as ObjectModel),
    );
  }

  /** The version answered when none is asked for: the one set, else the highest registered. */
  defaultVersion(objectId: number): string | undefined {
    return this.defaults.get(objectId) ?? this.versions(objectId).at(-1);
  }

  /** Makes `version` the default of `objectId`; throws LWM2M_UNKNOWN_MODEL if it is not registered. */
  setDefaultVersion(objectId: number, version: string): void {
    if (!this.byId.get(objectId)?.has(version)) {
      throw new ModelRegistryError(
        `object ${objectId} version ${version} is not registered`,
        'LWM2M_UNKNOWN_MODEL',
      );
    }
    this.defaults.set(objectId, version);
    this.defaultModels.clear();
  }

  /**
   * The model of `objectId` best matching an announced `version`: that version if registered,
   * else the highest registered version below it, else the default.
   */
  resolve(objectId: number, version: string): ObjectModel | undefined {
    const exact = this.get(objectId, version);
    if (exact) return exact;
    const lower = this.versions(objectId).filter((v) => compareVersions(v, version) < 0);
    return this.get(objectId, lower.at(-1));
  }

  /**
   * A lookup pinned to the object versions a client announced at registration (e.g. {1: '1.1'}
   * from `</1>;ver=1.1`); ids not in `versions` use the default. It reads this registry live.
   */
  forVersions(versions: Readonly<Record<number, string>> | ReadonlyMap<number, string>): ModelLookup {
    const pinned =
      versions instanceof Map
        ? new Map(versions)
        : new Map(Object.entries(versions).map(([k, v]) => [Number(k), v]));
    return {
      getObject: (objectId: number) => {
        const version = pinned.get(objectId);
        return version === undefined ? this.get(objectId) : this.resolve(objectId, version);
      },
    };
  }
}
