// IP addresses between their text form (what Peer carries) and numbers (what the batched socket,
// native/udp.c, takes and gives): IPv4 as one unsigned 32-bit number, IPv6 as four big-endian
// 32-bit words. IPv6 text is written in the RFC 5952 canonical form (lower case, no leading
// zeros, the longest run of two or more zero groups as "::", the first on a tie, so the text
// node:dgram reports for the same address); it is read in any RFC 4291 2.2 form.

/** The number of a dotted-quad IPv4 address; undefined when `text` is not one. */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      // RFC 6943 3.1.1: no leading zeros (they would read as octal elsewhere), no empty parts
      if (digits === 0 || part > 255 || (digits > 1 && text.charCodeAt(i - digits) === 0x30))
        return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      if (++parts > 4) return undefined;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      part = part * 10 + (c - 0x30);
      digits++;
    } else return undefined;
  }
  return parts === 4 ? value : undefined;
}

/** Dotted-quad text of an IPv4 address number. */
export function formatIpv4(value: number): string {
  const v = value >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** The four 32-bit words of an IPv6 address (an embedded dotted quad allowed); undefined when not one. */
export function parseIpv6(text: string): [number, number, number, number] | undefined {
  if (text.length < 2 || text.length > 45 || text.includes('%')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // a dotted quad only at the very end
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return [0, 1, 2, 3].map((w) => ((groups[2 * w]! << 16) | groups[2 * w + 1]!) >>> 0) as [
    number,
    number,
    number,
    number,
  ];
}

/** RFC 5952 text of an IPv6 address given as four words (IPv4-mapped ones as ::ffff:a.b.c.d). */
export function formatIpv6(w0: number, w1: number, w2: number, w3: number): string {
  const words = [w0 >>> 0, w1 >>> 0, w2 >>> 0, w3 >>> 0];
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return `::ffff:${formatIpv4(words[3]!)}`;
  const groups: number[] = [];
  for (const w of words) groups.push(w >>> 16, w & 0xffff);
  // the longest run of at least two zero groups (the first of equal ones) becomes "::"
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestAt = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestAt < 0) return hex(0, 8);
  return `${hex(0, bestAt)}::${hex(bestAt + bestLength, 8)}`;
}
