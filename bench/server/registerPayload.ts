// Register payloads of a given size for the server benchmark's memory phases (issue 12): link
// format (RFC 6690) as LwM2M clients send it (Core TS 6.2.1): the root link with `rt` and `ct`,
// core objects, then sensor instances whose links carry attributes, up to about `bytes` bytes in
// at most 1000 links (under the server's default maxLinks of 1024).
const MAX_LINKS = 1000;

/** A Register payload of about `bytes` bytes (never more). */
export function registerPayload(bytes: number): Uint8Array {
  const links = ['</>;rt="oma.lwm2m";ct=11543', '</1>;ver=1.1', '</1/0>', '</3/0>', '</4/0>', '</5/0>'];
  let length = links.join(',').length;
  const sensors = Math.min(MAX_LINKS - links.length, Math.ceil((bytes - length) / 40));
  const each = Math.floor((bytes - length) / Math.max(1, sensors)) - 1;
  for (let i = 0; i < sensors; i++) {
    const head = `</${3300 + (i % 40)}/${Math.floor(i / 40)}>;dim=1;rt="`;
    const pad = Math.max(1, each - head.length - 1);
    const link = `${head}${'s'.repeat(pad)}"`;
    if (length + link.length + 1 > bytes) break;
    links.push(link);
    length += link.length + 1;
  }
  return new TextEncoder().encode(links.join(','));
}
