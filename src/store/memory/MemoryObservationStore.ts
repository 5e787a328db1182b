// LwM2M Core TS 1.1.1 section 6.4 / RFC 7641: observations held in process memory, indexed by
// registration then token, plus token → registrations, so every lookup is O(1) and dropping a
// registration's observations is O(its observations).
import {
  observationTargetKey,
  tokenKey,
  type ObservationAddResult,
  type ObservationRecord,
  type ObservationStore,
} from '../ObservationStore.js';

/** An ObservationStore in a Map of Maps: registration id → token hex → record. */
export class MemoryObservationStore implements ObservationStore {
  private readonly byRegistration_ = new Map<string, Map<string, ObservationRecord>>();
  private readonly registrationsOfToken = new Map<string, Set<string>>();
  private count = 0;

  async add(obs: ObservationRecord): Promise<ObservationAddResult> {
    const key = tokenKey(obs.token);
    let tokens = this.byRegistration_.get(obs.registrationId);
    if (!tokens) {
      tokens = new Map();
      this.byRegistration_.set(obs.registrationId, tokens);
    }
    const replaced: ObservationRecord[] = [];
    const target = observationTargetKey(obs);
    for (const [k, existing] of tokens) {
      if (k === key || observationTargetKey(existing) === target) {
        replaced.push(existing);
        tokens.delete(k);
        this.unindexToken(k, obs.registrationId);
        this.count--;
      }
    }
    tokens.set(key, obs);
    let holders = this.registrationsOfToken.get(key);
    if (!holders) {
      holders = new Set();
      this.registrationsOfToken.set(key, holders);
    }
    holders.add(obs.registrationId);
    this.count++;
    return { replaced };
  }

  async byToken(token: Uint8Array): Promise<ObservationRecord[]> {
    const key = tokenKey(token);
    const holders = this.registrationsOfToken.get(key);
    if (!holders) return [];
    return [...holders].map((id) => this.byRegistration_.get(id)!.get(key)!);
  }

  async get(registrationId: string, token: Uint8Array): Promise<ObservationRecord | undefined> {
    return this.byRegistration_.get(registrationId)?.get(tokenKey(token));
  }

  async byRegistration(registrationId: string): Promise<ObservationRecord[]> {
    const tokens = this.byRegistration_.get(registrationId);
    return tokens ? [...tokens.values()] : [];
  }

  async remove(registrationId: string, token: Uint8Array): Promise<ObservationRecord | undefined> {
    const tokens = this.byRegistration_.get(registrationId);
    const key = tokenKey(token);
    const obs = tokens?.get(key);
    if (!tokens || !obs) return undefined;
    tokens.delete(key);
    this.unindexToken(key, registrationId);
    this.count--;
    if (tokens.size === 0) this.byRegistration_.delete(registrationId);
    return obs;
  }

  async removeByRegistration(registrationId: string): Promise<ObservationRecord[]> {
    const tokens = this.byRegistration_.get(registrationId);
    if (!tokens) return [];
    this.byRegistration_.delete(registrationId);
    for (const key of tokens.keys()) this.unindexToken(key, registrationId);
    this.count -= tokens.size;
    return [...tokens.values()];
  }

  async size(): Promise<number> {
    return this.count;
  }

  private unindexToken(key: string, registrationId: string): void {
    const holders = this.registrationsOfToken.get(key);
    holders?.delete(registrationId);
    if (holders?.size === 0) this.registrationsOfToken.delete(key);
  }
}
