// The `lwm2m` command line: server, bootstrap and client (benchmarks run with `npm run bench`).
import { Command } from 'commander';
import { bootstrapCommand } from './bootstrapCommand.js';
import { serverCommand } from './serverCommand.js';
import { clientCommand } from './clientCommand.js';

const program = new Command()
  .name('lwm2m')
  .description('OMA Lightweight M2M server, bootstrap server and client on Node.js')
  .version('0.1.0');

program.addCommand(serverCommand());
program.addCommand(clientCommand());
program.addCommand(bootstrapCommand());

await program.parseAsync(process.argv);
