// The lookup of the benchmarks' dgram sockets: every destination is an IP address, so it is
// handed straight back (dgram's default, dns.lookup, defers each send by a tick), as the
// server's UdpTransport does. The generators stay as lean as a dgram client can be.

/** A dgram `lookup` for IPv4 addresses. */
export function ipLookup(
  address: string,
  _options: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  callback(null, address, 4);
}
