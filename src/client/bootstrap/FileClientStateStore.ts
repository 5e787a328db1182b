// LwM2M Core TS 1.1.1 section 6.1: a ClientStateStore in one JSON file, written atomically (a
// temporary file in the same directory, then rename) so a crash never leaves half a state.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DecodeError } from '../../lwm2m/errors.js';
import type { ClientState, ClientStateStore } from './ClientStateStore.js';

/** A ClientStateStore kept in the file `path` (its directory is created on save). */
export class FileClientStateStore implements ClientStateStore {
  private seq = 0;

  constructor(readonly path: string) {}

  /** The saved state, undefined when the file does not exist; throws DecodeError for a corrupt file. */
  async load(): Promise<ClientState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DecodeError(`${this.path} is not JSON`, 0);
    }
    const o = parsed as Partial<ClientState> | null;
    if (
      o === null ||
      typeof o !== 'object' ||
      o.version !== 1 ||
      typeof o.objects !== 'object' ||
      typeof o.instances !== 'object'
    )
      throw new DecodeError(`${this.path} is not a version 1 client state`, 0);
    return o as ClientState;
  }

  async save(state: ClientState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.${++this.seq}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
      await rename(temp, this.path);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
