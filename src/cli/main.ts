// The `lwm2m` command line: server, bootstrap and client (benchmarks run with `npm run bench`).
// Only the command being run is loaded (the server pulls in fastify, the client its simulator):
// `lwm2m --version` and `lwm2m --help` load none, so they answer at once.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { COMMAND_SUMMARIES, type CommandName } from './commandSummaries.js';

const LOADERS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  server: async () => (await import('./serverCommand.js')).serverCommand(),
  client: async () => (await import('./clientCommand.js')).clientCommand(),
  bootstrap: async () => (await import('./bootstrapCommand.js')).bootstrapCommand(),
  certs: async () => (await import('./certsCommand.js')).certsCommand(),
};

const isCommand = (name: string | undefined): name is CommandName =>
  name !== undefined && Object.hasOwn(LOADERS, name);

// The version of the package this file ships in (src/cli or dist/cli: two levels below it).
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command()
  .name('lwm2m')
  .description('OMA Lightweight M2M server, bootstrap server and client on Node.js')
  .version(version);

// `lwm2m <command> ...` and `lwm2m help <command>` load that command; anything else only needs
// the list of commands (help, version, or commander's error for an unknown command).
const [first, second] = process.argv.slice(2);
const wanted = isCommand(first) ? first : first === 'help' && isCommand(second) ? second : undefined;
for (const name of Object.keys(LOADERS) as CommandName[]) {
  if (name === wanted) program.addCommand(await LOADERS[name]());
  else program.command(name).description(COMMAND_SUMMARIES[name]);
}

await program.parseAsync(process.argv);
