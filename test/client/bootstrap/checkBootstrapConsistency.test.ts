// Core TS 1.1.1 5.2.7.6: the Bootstrap-Finish consistency check, as a table of configurations.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBootstrapConsistency } from '../../../src/client/bootstrap/checkBootstrapConsistency.js';
import type { ObjectInstanceNode } from '../../../src/lwm2m/Lwm2mNode.js';
import { securityInstanceNode, serverInstanceNode } from '../../../src/lwm2m/bootstrapNodes.js';
import { instance, resource } from '../../../src/lwm2m/nodes.js';
import { integerValue, stringValue } from '../../../src/lwm2m/values.js';
import { testPki } from '../../transport/dtls/x509/testPki.js';

const bs = securityInstanceNode(0, {
  uri: 'coap://bs.example:5783',
  bootstrapServer: true,
  securityMode: 'nosec',
});
const sec = (id: number, ssid: number, uri = 'coap://lwm2m.example:5683'): ObjectInstanceNode =>
  securityInstanceNode(id, { uri, bootstrapServer: false, securityMode: 'nosec', shortServerId: ssid });
const srv = (id: number, ssid: number, binding = 'U'): ObjectInstanceNode =>
  serverInstanceNode(id, { shortServerId: ssid, lifetime: 300, binding });
const without = (node: ObjectInstanceNode, rid: number): ObjectInstanceNode =>
  instance(
    node.id,
    node.resources.filter((r) => r.id !== rid),
  );

interface Row {
  name: string;
  security: ObjectInstanceNode[];
  servers: ObjectInstanceNode[];
  modes?: number[];
  /** Substrings of the expected problems; empty means consistent. */
  problems: string[];
}

const rows: Row[] = [
  {
    name: 'one server account and the bootstrap account',
    security: [bs, sec(1, 101)],
    servers: [srv(0, 101)],
    problems: [],
  },
  {
    name: 'two server accounts paired by Short Server ID',
    security: [sec(3, 2), sec(4, 1)],
    servers: [srv(0, 1), srv(1, 2)],
    problems: [],
  },
  { name: 'only the bootstrap account', security: [bs], servers: [], problems: ['no LwM2M Server account'] },
  {
    name: 'a Security instance without its Server instance',
    security: [bs, sec(1, 101)],
    servers: [],
    problems: ['/0/1: no Server instance has Short Server ID 101'],
  },
  {
    name: 'a Server instance without its Security instance',
    security: [sec(1, 1)],
    servers: [srv(0, 1), srv(1, 7)],
    problems: ['/1/1: no Security instance has Short Server ID 7'],
  },
  {
    name: 'a Security instance without a Short Server ID',
    security: [without(sec(1, 1), 10)],
    servers: [],
    problems: ['/0/1: no Short Server ID', 'no LwM2M Server account'],
  },
  {
    name: 'a Short Server ID used twice in Security',
    security: [sec(1, 1), sec(2, 1)],
    servers: [srv(0, 1)],
    problems: ['/0/2: Short Server ID 1 also used by /0/1'],
  },
  {
    name: 'a Short Server ID used twice in Server',
    security: [sec(1, 1)],
    servers: [srv(0, 1), srv(1, 1)],
    problems: ['/1/1: Short Server ID 1 also used by /1/0'],
  },
  {
    name: 'two bootstrap accounts',
    security: [bs, { ...bs, id: 5 }, sec(1, 1)],
    servers: [srv(0, 1)],
    problems: ['2 Bootstrap-Server accounts'],
  },
  {
    name: 'an unparsable URI',
    security: [sec(1, 1, 'not a uri')],
    servers: [srv(0, 1)],
    problems: ['/0/1: invalid URI'],
  },
  {
    name: 'an http URI',
    security: [sec(1, 1, 'http://x.example')],
    servers: [srv(0, 1)],
    problems: ['unsupported URI scheme "http:"'],
  },
  {
    name: 'NoSec on a coaps URI',
    security: [sec(1, 1, 'coaps://x.example')],
    servers: [srv(0, 1)],
    problems: ['security mode 3 does not fit the scheme coaps:'],
  },
  {
    name: 'a security mode the client does not support',
    security: [
      securityInstanceNode(1, {
        uri: 'coaps://x.example',
        bootstrapServer: false,
        securityMode: 'psk',
        shortServerId: 1,
        publicKeyOrIdentity: new Uint8Array([1]),
        secretKey: new Uint8Array([2]),
      }),
    ],
    servers: [srv(0, 1)],
    modes: [3],
    problems: ['/0/1: security mode 0 is not supported'],
  },
  {
    name: 'PSK on coaps when PSK is supported',
    security: [
      securityInstanceNode(1, {
        uri: 'coaps://x.example',
        bootstrapServer: false,
        securityMode: 'psk',
        shortServerId: 1,
        publicKeyOrIdentity: new TextEncoder().encode('dev1'),
        secretKey: Uint8Array.of(1, 2, 3),
      }),
    ],
    servers: [srv(0, 1)],
    problems: [],
  },
  {
    name: 'PSK without an identity or a key (E.1 resources 3 and 5)',
    security: [
      securityInstanceNode(1, {
        uri: 'coaps://x.example',
        bootstrapServer: false,
        securityMode: 'psk',
        shortServerId: 1,
      }),
    ],
    servers: [srv(0, 1)],
    problems: [
      '/0/1: security mode 0 (PSK) without a PSK identity',
      '/0/1: security mode 0 (PSK) without a key',
    ],
  },
  {
    name: 'a PSK identity that is not UTF-8 (RFC 4279 5.1)',
    security: [
      securityInstanceNode(1, {
        uri: 'coaps://x.example',
        bootstrapServer: false,
        securityMode: 'psk',
        shortServerId: 1,
        publicKeyOrIdentity: Uint8Array.of(0xff, 0xfe),
        secretKey: Uint8Array.of(1),
      }),
    ],
    servers: [srv(0, 1)],
    problems: ['/0/1: the PSK identity is not UTF-8'],
  },
  {
    name: 'a Security instance without a Security Mode',
    security: [without(sec(1, 1), 2)],
    servers: [srv(0, 1)],
    problems: ['/0/1: no Security Mode'],
  },
  {
    name: 'an invalid binding',
    security: [sec(1, 1)],
    servers: [srv(0, 1, 'X')],
    problems: ['/1/0: invalid Binding'],
  },
  {
    name: 'a Server instance without a lifetime',
    security: [sec(1, 1)],
    servers: [without(srv(0, 1), 1)],
    problems: ['/1/0: no Lifetime'],
  },
  {
    name: 'a Server instance with a Short Server ID out of range',
    security: [sec(1, 1)],
    servers: [
      srv(0, 1),
      instance(1, [
        resource(0, integerValue(65535)),
        resource(1, integerValue(60)),
        resource(7, stringValue('U')),
      ]),
    ],
    problems: ['/1/1: no Short Server ID (resource 0) in 1..65534'],
  },
];

describe('checkBootstrapConsistency', () => {
  for (const row of rows)
    test(`${row.problems.length === 0 ? 'accepts' : 'rejects'} ${row.name}`, () => {
      const found = checkBootstrapConsistency(
        row.security,
        row.servers,
        row.modes ? { supportedSecurityModes: row.modes } : {},
      );
      if (row.problems.length === 0) return assert.deepEqual(found, []);
      assert.equal(found.length, row.problems.length, found.join(' | '));
      row.problems.forEach((p, i) => assert.ok(found[i]!.includes(p), `${found[i]} should mention ${p}`));
    });
});

describe('RPK and certificate accounts (issue 15)', () => {
  const pki = testPki();
  const x509 = (overrides: Partial<Parameters<typeof securityInstanceNode>[1]> = {}) =>
    securityInstanceNode(1, {
      uri: 'coaps://lwm2m.example:5684',
      bootstrapServer: false,
      securityMode: 'x509',
      shortServerId: 1,
      publicKeyOrIdentity: pki.device.der,
      serverPublicKey: pki.server.der,
      secretKey: Uint8Array.from(pki.device.privateKey.export({ type: 'pkcs8', format: 'der' })),
      ...overrides,
    });
  test('usable key material passes; broken material fails Bootstrap-Finish naming the resource', () => {
    assert.deepEqual(
      checkBootstrapConsistency([bs, x509()], [srv(1, 1)], { supportedSecurityModes: [0, 1, 2, 3] }),
      [],
    );
    assert.deepEqual(
      checkBootstrapConsistency([bs, x509({ secretKey: Uint8Array.of(1, 2) })], [srv(1, 1)], {
        supportedSecurityModes: [0, 1, 2, 3],
      }),
      ['/0/1: security mode 2: resource 5 is not a DER private key (PKCS#8 or SEC 1)'],
    );
    assert.deepEqual(
      checkBootstrapConsistency([bs, x509({ serverPublicKey: new Uint8Array(0) })], [srv(1, 1)]),
      ['/0/1: security mode 2: resource 4 is empty: the certificate is missing'],
    );
  });
});
