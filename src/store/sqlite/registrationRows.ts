// A Registration as one row of the registrations table: id and endpoint as columns, the rest as
// compact JSON with the record's wall-clock times as they are (ms since 1970). Object links and binding modes are
// shared again on reading (RegistrationObjectsInterner, parseBindingMode's own cache), as the
// server shares them, so 100k reloaded registrations stay as small as 100k registered ones.
import { parseBindingMode, type Lwm2mVersion } from '../../lwm2m/bindingMode.js';
import type { RegisteredObject, RegistrationObjects } from '../../lwm2m/linkFormat.js';
import { NEVER_EXPIRES, NO_ADDITIONAL_ATTRIBUTES, type Registration } from '../../lwm2m/Registration.js';
import { makePeer, type Peer, type PeerIdentity } from '../../transport/Peer.js';

type StoredIdentity =
  { k: 'psk'; i: string } | { k: 'rpk'; pk: string } | { k: 'x509'; s: string; cn?: string };

interface StoredRegistration {
  lt: number;
  v: Lwm2mVersion;
  b: string;
  sms?: string;
  q: boolean;
  /** Object links: [rootPath, [[objectId, version | null, instances]], contentFormats]. */
  o: string;
  a: string;
  p: number;
  pi?: StoredIdentity;
  /** Wall-clock times: registered, last update, expiry (null: never). */
  r: number;
  u: number;
  x: number | null;
  at?: Record<string, string>;
}

/** Each object links' text, as the JSON string literal the record holds (escaped once, not per write). */
const linksText = new WeakMap<RegistrationObjects, string>();

function encodeLinks(links: RegistrationObjects): string {
  let text = linksText.get(links);
  if (text === undefined) {
    const objects = [...links.objects].map(([id, o]) => [id, o.version ?? null, o.instances]);
    text = JSON.stringify(JSON.stringify([links.rootPath, objects, links.contentFormats]));
    linksText.set(links, text);
  }
  return text;
}

/** Shares one frozen RegistrationObjects between rows whose object links are equal. */
export class RegistrationObjectsInterner {
  private readonly seen = new Map<string, RegistrationObjects>();

  /** The object links `text` encodes. */
  decode(text: string): RegistrationObjects {
    const known = this.seen.get(text);
    if (known) return known;
    const [rootPath, objects, contentFormats] = JSON.parse(text) as [
      string,
      [number, string | null, number[]][],
      number[],
    ];
    const map = new Map<number, RegisteredObject>();
    for (const [id, version, instances] of objects)
      map.set(
        id,
        Object.freeze(
          version === null
            ? { instances: Object.freeze(instances) }
            : { version, instances: Object.freeze(instances) },
        ),
      );
    const links = Object.freeze({ rootPath, objects: map, contentFormats: Object.freeze(contentFormats) });
    linksText.set(links, JSON.stringify(text));
    this.seen.set(text, links);
    return links;
  }
}

function encodeIdentity(id: PeerIdentity): StoredIdentity {
  switch (id.kind) {
    case 'psk':
      return { k: 'psk', i: id.identity };
    case 'rpk':
      return { k: 'rpk', pk: Buffer.from(id.publicKey).toString('hex') };
    case 'x509':
      return id.commonName === undefined
        ? { k: 'x509', s: id.subject }
        : { k: 'x509', s: id.subject, cn: id.commonName };
  }
}

function decodeIdentity(s: StoredIdentity): PeerIdentity {
  switch (s.k) {
    case 'psk':
      return { kind: 'psk', identity: s.i };
    case 'rpk':
      return { kind: 'rpk', publicKey: Uint8Array.from(Buffer.from(s.pk, 'hex')) };
    case 'x509':
      return s.cn === undefined
        ? { kind: 'x509', subject: s.s }
        : { kind: 'x509', subject: s.s, commonName: s.cn };
  }
}

const json = JSON.stringify;

/**
 * The JSON column of `reg` (a StoredRegistration), written out directly: one string per write,
 * with no intermediate object and the object links already escaped (encodeLinks).
 */
export function encodeRegistration(reg: Registration): string {
  const { peer } = reg;
  const x = reg.expiresAt === NEVER_EXPIRES ? 'null' : json(reg.expiresAt);
  let record =
    `{"lt":${json(reg.lifetime)},"v":${json(reg.lwm2mVersion)},"b":${json(reg.binding.raw)},` +
    `"q":${json(reg.queueMode)},"o":${encodeLinks(reg.objectLinks)},"a":${json(peer.address)},` +
    `"p":${json(peer.port)},"r":${json(reg.registeredAt)},"u":${json(reg.lastUpdate)},"x":${x}`;
  if (reg.smsNumber !== undefined) record += `,"sms":${json(reg.smsNumber)}`;
  if (peer.identity) record += `,"pi":${json(encodeIdentity(peer.identity))}`;
  if (Object.keys(reg.additionalAttributes).length > 0) record += `,"at":${json(reg.additionalAttributes)}`;
  return `${record}}`;
}

/** The Registration of one row; throws (SyntaxError, BadRequestError) when the row is not valid. */
export function decodeRegistration(
  id: string,
  endpoint: string,
  record: string,
  interner: RegistrationObjectsInterner,
): Registration {
  const s = JSON.parse(record) as StoredRegistration;
  const peer: Peer = makePeer(s.a, s.p, s.pi && decodeIdentity(s.pi));
  return {
    id,
    endpoint,
    lifetime: s.lt,
    lwm2mVersion: s.v,
    binding: parseBindingMode(s.b, s.v),
    ...(s.sms === undefined ? {} : { smsNumber: s.sms }),
    queueMode: s.q,
    objectLinks: interner.decode(s.o),
    peer,
    registeredAt: s.r,
    lastUpdate: s.u,
    expiresAt: s.x === null ? NEVER_EXPIRES : s.x,
    additionalAttributes: s.at ? Object.freeze(s.at) : NO_ADDITIONAL_ATTRIBUTES,
  };
}
