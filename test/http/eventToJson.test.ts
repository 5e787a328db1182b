// The JSON `data:` of each SSE event and of registrations (eventToJson.ts, registrationJson.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventToJson } from '../../src/http/eventToJson.js';
import { registrationToJson } from '../../src/http/registrationJson.js';
import { securityInfoView } from '../../src/http/securityJson.js';
import { sseFrame } from '../../src/http/EventFanout.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { NEVER_EXPIRES } from '../../src/lwm2m/Registration.js';
import { resource } from '../../src/lwm2m/nodes.js';
import { floatValue, integerValue } from '../../src/lwm2m/values.js';
import { makePeer } from '../../src/transport/Peer.js';
import { makeRegistration } from '../store/storeFixtures.js';

const P = (s: string): Lwm2mPath => Lwm2mPath.parse(s);

describe('eventToJson', () => {
  it('renders a composite notification as path + node pairs, with timestamped values', () => {
    const json = eventToJson(
      {
        type: 'notification',
        endpoint: 'dev1',
        kind: 'composite',
        paths: [P('/3/0/9'), P('/3303/0/5700')],
        notification: {
          content: [
            { path: P('/3/0/9'), node: resource(9, integerValue(80)) },
            { path: P('/3303/0/5700'), node: resource(5700, floatValue(19.5)) },
          ],
          timestamped: [
            { timestamp: 1_700_000_010, nodes: [{ path: P('/3/0/9'), node: resource(9, integerValue(79)) }] },
          ],
        },
      },
      0,
      0,
    );
    assert.deepEqual(json, {
      endpoint: 'dev1',
      kind: 'composite',
      paths: ['/3/0/9', '/3303/0/5700'],
      content: [
        { path: '/3/0/9', node: { kind: 'resource', id: 9, type: 'integer', value: 80 } },
        { path: '/3303/0/5700', node: { kind: 'resource', id: 5700, type: 'float', value: 19.5 } },
      ],
      timestamped: [
        {
          timestamp: 1_700_000_010,
          nodes: [{ path: '/3/0/9', node: { kind: 'resource', id: 9, type: 'integer', value: 79 } }],
        },
      ],
    });
  });

  it('writes one SSE frame whose data line holds the JSON even when values contain newlines', () => {
    const frame = sseFrame(3, 'send', JSON.stringify({ endpoint: 'a', text: 'line1\nline2' }));
    assert.equal(frame, 'id: 3\nevent: send\ndata: {"endpoint":"a","text":"line1\\nline2"}\n\n');
  });
});

describe('registrationToJson', () => {
  it('renders binding, queue mode, SMS number, identity and an infinite lifetime', () => {
    const base = makeRegistration({
      id: 'r1',
      endpoint: 'dev9',
      lwm2m: '1.2',
      query: ['b=U', 'Q', 'sms=+15550100'],
    });
    const reg = {
      ...base,
      expiresAt: NEVER_EXPIRES,
      peer: makePeer('2001:db8::1', 5684, { kind: 'psk', identity: 'dev9-id' }),
      objectLinks: { ...base.objectLinks, contentFormats: [11542, 112, 4242] },
    };
    const json = registrationToJson(reg, 0, 0);
    assert.equal(json.endpoint, 'dev9');
    assert.equal(json.queueMode, true);
    assert.equal(json.smsNumber, '+15550100');
    assert.equal(json.address, '2001:db8::1');
    assert.deepEqual(json.identity, { kind: 'psk', identity: 'dev9-id' });
    assert.deepEqual(json.contentFormats, ['tlv', 'senml-cbor', '4242']);
    assert.equal(json.expiresAt, null);
    assert.deepEqual(JSON.parse(JSON.stringify(json)), json, 'plain JSON');
  });

  it('renders a raw public key in hex, as /api/security does, and the x509 subjectAltNames', () => {
    const base = makeRegistration({ id: 'r2', endpoint: 'dev10' });
    const spki = Uint8Array.from([0x30, 0x59, 0x30, 0x13, 0xfe]);
    const rpk = { ...base, peer: makePeer('127.0.0.1', 5684, { kind: 'rpk', publicKey: spki }) };
    assert.deepEqual(registrationToJson(rpk, 0, 0).identity, { kind: 'rpk', publicKey: '30593013fe' });
    const view = securityInfoView({ endpoint: 'dev10', kind: 'rpk', publicKey: spki });
    assert.equal(view.kind === 'rpk' && view.rpk.publicKey, '30593013fe', 'the same text in /api/security');
    const x509 = {
      ...base,
      peer: makePeer('127.0.0.1', 5684, {
        kind: 'x509',
        subject: 'CN=Device 42',
        commonName: 'Device 42',
        subjectAltNames: ['urn:dev:42'],
      }),
    };
    assert.deepEqual(registrationToJson(x509, 0, 0).identity, {
      kind: 'x509',
      subject: 'CN=Device 42',
      commonName: 'Device 42',
      subjectAltNames: ['urn:dev:42'],
    });
  });
});
