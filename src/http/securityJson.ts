// The REST form of the credentials a server or bootstrap server accepts (Transport TS 1.1.1
// section 5.2 security modes): the write form is lwm2m/securityInfoJson.ts ({ psk: { identity,
// key } } with the key in hex), the read form never carries a secret. A PSK key is write-only: it
// is answered by its length. The PSK identity is not secret (a client sends it in clear in its
// ClientKeyExchange, RFC 4279 sections 2 and 7), nor is a raw public key.
import type { FastifyInstance } from 'fastify';
import {
  MAX_PSK_IDENTITY_BYTES,
  MAX_PSK_KEY_BYTES,
  MAX_RPK_BYTES,
  type SecurityInfo,
} from '../lwm2m/SecurityInfo.js';
import type { Schema } from './schemas.js';

/** The read form of the credentials of one endpoint. */
export type SecurityInfoView =
  | {
      readonly endpoint: string;
      readonly kind: 'psk';
      readonly psk: { readonly identity: string; readonly keyLength: number };
    }
  | { readonly endpoint: string; readonly kind: 'rpk'; readonly rpk: { readonly publicKey: string } }
  | { readonly endpoint: string; readonly kind: 'x509'; readonly x509: Record<string, never> };

/** `info` as the API answers it: everything but the PSK key, of which only the length is told. */
export function securityInfoView(info: SecurityInfo): SecurityInfoView {
  switch (info.kind) {
    case 'psk':
      return {
        endpoint: info.endpoint,
        kind: 'psk',
        psk: { identity: info.identity, keyLength: info.key.length },
      };
    case 'rpk':
      return {
        endpoint: info.endpoint,
        kind: 'rpk',
        rpk: { publicKey: Buffer.from(info.publicKey).toString('hex') },
      };
    case 'x509':
      return { endpoint: info.endpoint, kind: 'x509', x509: {} };
  }
}

const hex = (maxBytes: number, description: string): Schema => ({
  type: 'string',
  pattern: '^([0-9a-fA-F]{2})+$',
  maxLength: 2 * maxBytes,
  description,
});
const identity: Schema = {
  type: 'string',
  minLength: 1,
  description: `PSK identity, UTF-8 text of 1 to ${MAX_PSK_IDENTITY_BYTES} bytes, unique across endpoints. Not secret: the client sends it in clear.`,
};

/** PUT body: exactly one of psk, rpk, x509 (lwm2m/securityInfoJson.ts); unknown fields are refused. */
export const securityInfoInputSchema: Schema = {
  $id: 'SecurityInfoInput',
  type: 'object',
  description:
    'Credentials of one endpoint: exactly one of psk, rpk, x509. Unknown fields are a 400. An optional "endpoint" must equal the one of the path.',
  properties: {
    endpoint: { type: 'string', description: 'Optional; must equal the endpoint of the path.' },
    psk: {
      type: 'object',
      required: ['identity', 'key'],
      properties: {
        identity,
        key: hex(
          MAX_PSK_KEY_BYTES,
          `The pre-shared key in hex, 1 to ${MAX_PSK_KEY_BYTES} bytes (16+ recommended). Write-only: never answered.`,
        ),
      },
    },
    rpk: {
      type: 'object',
      required: ['publicKey'],
      properties: {
        publicKey: {
          type: 'string',
          maxLength: 4 * MAX_RPK_BYTES,
          description:
            "The client's raw public key, a DER SubjectPublicKeyInfo: hex, base64, or PEM (-----BEGIN PUBLIC KEY-----). Answered as hex.",
        },
      },
    },
    x509: {
      type: 'object',
      description:
        "Certificate: the client's chain must lead to the server's trust anchors (--ca) and its common name, or a subjectAltName DNS/URI entry, must be the endpoint name.",
    },
  },
  examples: [{ psk: { identity: 'dev-1', key: '000102030405060708090a0b0c0d0e0f' } }],
};

/** The read form (securityInfoView): no key bytes in any encoding. */
export const securityInfoSchema: Schema = {
  $id: 'SecurityInfo',
  type: 'object',
  required: ['endpoint', 'kind'],
  description: 'Credentials of one endpoint without their secret: a PSK key is told by its length only.',
  properties: {
    endpoint: { type: 'string' },
    kind: { type: 'string', enum: ['psk', 'rpk', 'x509'] },
    psk: {
      type: 'object',
      properties: {
        identity,
        keyLength: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_PSK_KEY_BYTES,
          description: 'Key length, bytes.',
        },
      },
    },
    rpk: { type: 'object', properties: { publicKey: { type: 'string', description: 'Hex (not secret).' } } },
    x509: { type: 'object' },
  },
};

/** One page of a credential listing. */
export const securityInfoPageSchema: Schema = {
  $id: 'SecurityInfoPage',
  type: 'object',
  required: ['items', 'total'],
  properties: {
    items: { type: 'array', items: { $ref: 'SecurityInfo#' } },
    total: { type: 'integer', description: 'Endpoints matching the filter, on every page.' },
    next: { type: 'string', description: 'Cursor of the next page (?cursor=); absent on the last page.' },
  },
};

/** Adds the three schemas to `app` unless it (or a parent) has them already. */
export function addSecuritySchemas(app: FastifyInstance): void {
  for (const schema of [securityInfoInputSchema, securityInfoSchema, securityInfoPageSchema])
    if (app.getSchema(schema['$id'] as string) === undefined) app.addSchema(schema);
}
