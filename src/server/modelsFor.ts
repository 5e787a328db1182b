// LwM2M Core TS 1.1.1 section 7.2.2 (object versions announced in the register payload): the
// object models a registered client's data is encoded and decoded against, and the downlink
// context built from them, shared between every registration with the same parsed payload.
//
// Optimisation (bench/server.ts, issue 4): a read or notification used to build a fresh
// versions Map, a copy of it and a lookup closure per message (ModelRegistry.forVersions); the
// pinned-version lookup also bypassed the registry's cached default-version answer. Parsed
// payloads are shared (lwm2m/RegistrationPayloadCache), so one lookup per distinct payload is
// kept in a WeakMap keyed by it: it lives exactly as long as some registration uses it. A
// payload that pins no version is answered by the registry itself, which is what forVersions
// with no pinned version answers, through the registry's cache. Lookups stay dynamic (models
// added to the registry later are seen), so behaviour is unchanged.
import type { DownlinkContext } from '../binding/toCoapRequest.js';
import type { RegistrationObjects } from '../lwm2m/linkFormat.js';
import { objectVersions, type Registration } from '../lwm2m/Registration.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import type { ModelLookup } from '../model/ObjectModel.js';

const lookups = new WeakMap<ModelRegistry, WeakMap<RegistrationObjects, ModelLookup>>();
const contexts = new WeakMap<ModelRegistry, WeakMap<RegistrationObjects, Map<string, DownlinkContext>>>();

/** The models of `reg`'s announced object versions (the registry's defaults for the others). */
export function modelsFor(reg: Registration, registry: ModelRegistry): ModelLookup {
  let byLinks = lookups.get(registry);
  if (!byLinks) lookups.set(registry, (byLinks = new WeakMap()));
  let lookup = byLinks.get(reg.objectLinks);
  if (!lookup) {
    const versions = objectVersions(reg);
    lookup = versions.size === 0 ? registry : registry.forVersions(versions);
    byLinks.set(reg.objectLinks, lookup);
  }
  return lookup;
}

/** The format-choice and encoding context of a registration (shared; never mutate it). */
export function downlinkContext(reg: Registration, registry: ModelRegistry): DownlinkContext {
  let byLinks = contexts.get(registry);
  if (!byLinks) contexts.set(registry, (byLinks = new WeakMap()));
  let byVersion = byLinks.get(reg.objectLinks);
  if (!byVersion) byLinks.set(reg.objectLinks, (byVersion = new Map()));
  let ctx = byVersion.get(reg.lwm2mVersion);
  if (!ctx) {
    ctx = {
      models: modelsFor(reg, registry),
      lwm2mVersion: reg.lwm2mVersion,
      announcedFormats: reg.objectLinks.contentFormats,
      rootPath: reg.objectLinks.rootPath,
      formatMemo: new Map(),
    };
    byVersion.set(reg.lwm2mVersion, ctx);
  }
  return ctx;
}
