// One-line summaries of the `lwm2m` commands, shared by each command and by the program's help,
// which lists them without loading the commands themselves (see main.ts).

/** The summary of each command, by name. */
export const COMMAND_SUMMARIES = {
  server: 'run an LwM2M server with its REST API (and a Bootstrap-Server with --bootstrap-port)',
  client: 'run a simulated LwM2M device and log what servers do to it',
  bootstrap: 'run an LwM2M Bootstrap-Server',
  certs: 'make a test CA, server and device certificates for certificate-mode DTLS',
} as const;

/** A command name. */
export type CommandName = keyof typeof COMMAND_SUMMARIES;
