// An Lwm2mServer on 127.0.0.1 whose DTLS port speaks ECDHE_ECDSA with the test PKI's server chain
// and trusts its root for clients (issue 15 integration tests), and a client's coaps account for
// it with certificate credentials.
import type { ClientCertificateConfig } from '../../../src/client/certificateCredentials.js';
import type { ServerConfig } from '../../../src/client/Lwm2mClientOptions.js';
import { createCoreRegistry } from '../../../src/model/core/coreModels.js';
import type { ModelRegistry } from '../../../src/model/ModelRegistry.js';
import { Lwm2mServer } from '../../../src/server/Lwm2mServer.js';
import type { MemorySecurityStore } from '../../../src/store/memory/MemorySecurityStore.js';
import type { testPki } from '../../transport/dtls/x509/testPki.js';

/** Starts the server; credentials come from `store`, which the uplink authorizer also checks. */
export function startCertificateServer(
  pki: ReturnType<typeof testPki>,
  store: MemorySecurityStore,
  models: ModelRegistry = createCoreRegistry(),
): Promise<Lwm2mServer> {
  return Lwm2mServer.start({
    address: '127.0.0.1',
    port: 0,
    models,
    security: { store, requireSecurity: true },
    dtls: {
      port: 0,
      address: '127.0.0.1',
      certificate: { privateKey: pki.server.privateKey, chain: [pki.server.der, pki.intermediate.der] },
      clientTrust: { trustAnchors: [pki.root.der] },
    },
  });
}

/** A client account (ssid 1, lifetime 300 s) for `server`'s coaps port with `certificate`. */
export function coapsAccount(server: Lwm2mServer, certificate: ClientCertificateConfig): ServerConfig {
  // the server certificate names localhost and 127.0.0.1
  const uri = `coaps://127.0.0.1:${server.secureAddress()!.port}`;
  return { uri, ssid: 1, lifetime: 300, binding: 'U', certificate };
}
