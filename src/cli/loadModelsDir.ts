// OMA LwM2M Core TS 1.1.1 Appendix D (Object and Resource definition files) for the command
// line: `--models DIR` loads every *.xml DDF file of DIR over the built-in core objects, so reads,
// notifications and bootstrap configs of vendor objects are typed by their models.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { createCoreRegistry } from '../model/core/coreModels.js';
import { DdfError } from '../model/DdfError.js';
import { parseDdf } from '../model/ddfLoader.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import type { ObjectModel } from '../model/ObjectModel.js';

/**
 * The core objects plus the models of every `*.xml` file in `dir` (none when `dir` is undefined),
 * read in name order. A file may replace a core object at the same id and version; two files
 * defining the same id and version, an unreadable folder or file, a folder without DDF files and
 * an invalid DDF are refused with an InvalidArgumentError that names the folder or file.
 */
export async function loadModelsDir(dir: string | undefined): Promise<ModelRegistry> {
  const registry = createCoreRegistry();
  if (dir === undefined) return registry;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.xml')).sort();
  } catch (e) {
    throw new InvalidArgumentError(`--models ${dir}: cannot read the folder (${(e as Error).message})`);
  }
  if (names.length === 0) throw new InvalidArgumentError(`--models ${dir}: no .xml DDF file in the folder`);
  const definedIn = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    for (const model of await parseFile(file)) {
      const key = `${model.id}@${model.version}`;
      const other = definedIn.get(key);
      if (other !== undefined)
        throw new InvalidArgumentError(
          `--models: ${file} defines object ${model.id} version ${model.version}, already defined in ${other}`,
        );
      definedIn.set(key, file);
      registry.add(model, { replace: true });
    }
  }
  return registry;
}

async function parseFile(file: string): Promise<ObjectModel[]> {
  let xml: string;
  try {
    xml = await readFile(file, 'utf8');
  } catch (e) {
    throw new InvalidArgumentError(`--models: cannot read ${file} (${(e as Error).message})`);
  }
  try {
    return parseDdf(xml, file);
  } catch (e) {
    // DdfError's message starts with the file and line: "DIR/x.xml:12 object 30000 <...>: reason".
    const detail = e instanceof DdfError ? e.message : `${file}: ${(e as Error).message}`;
    throw new InvalidArgumentError(`--models: invalid DDF file ${detail}`);
  }
}
