// The server_name extension of a ClientHello (RFC 6066 section 3), sent by a certificate-mode
// client that knows the server's DNS name: ServerNameList server_name_list<1..2^16-1> of one
// ServerName { NameType host_name(0); HostName<1..2^16-1> }, the name in ASCII without a
// trailing dot. IP literals are not allowed there, so a server known by address gets none.

import { BodyWriter } from './BodyWriter.js';
import { isIP } from 'node:net';

/** NameType host_name. */
const HOST_NAME = 0;

/** The server_name data naming `host`, or undefined for an IP literal or a name not in ASCII. */
export function encodeServerName(host: string): Uint8Array | undefined {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || isIP(name) !== 0 || !/^[\x21-\x7e]+$/.test(name)) return undefined;
  const entry = new BodyWriter()
    .u8(HOST_NAME)
    .vector(2, 1, 0xffff, Buffer.from(name, 'ascii'), 'HostName')
    .finish();
  return new BodyWriter().vector(2, 1, 0xffff, entry, 'server_name_list').finish();
}
