// `npm run bench -- <name> [args…]`: runs bench/<name>.ts, a module exporting
// `run(args: readonly string[]): Promise<void> | void` (e.g. `codecs`, `coap`; `--json` makes a
// benchmark print one JSON object on its last line).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What every bench/<name>.ts module exports. */
export interface BenchModule {
  run(args: readonly string[]): Promise<void> | void;
}

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (name === undefined || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [--json]`);
  process.exit(name === undefined ? 0 : 1);
}
const mod = (await import(`./${name}.ts`)) as Partial<BenchModule>;
if (typeof mod.run !== 'function') {
  console.error(`bench/${name}.ts exports no run(args)`);
  process.exit(1);
}
await mod.run(args);
