// The `lwm2m` command line. Commands (server, bootstrap, client, bench) arrive with their issues.
import { Command } from 'commander';

const program = new Command()
  .name('lwm2m')
  .description('OMA Lightweight M2M server, bootstrap server and client on Node.js')
  .version('0.1.0');

program
  .command('server')
  .description('run an LwM2M server (not yet implemented: arrives with the server issue)')
  .action(() => {
    console.error(
      'lwm2m server: not implemented yet (the CoAP engine exists; the LwM2M server role comes next)',
    );
    process.exitCode = 2;
  });

await program.parseAsync(process.argv);
