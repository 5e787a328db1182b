// LwM2M Core TS 1.1.1 section 6.4.1 (Send, LwM2M 1.1) and Transport TS 6.5: the client reads the
// given paths and POSTs them to /dp of a server as SenML CBOR (default) or SenML JSON, unless the
// server's Mute Send resource (Server resource 23) is true.
import type { CoapEndpoint } from '../coap/CoapEndpoint.js';
import { sendRequest } from '../binding/uplinkRequests.js';
import { ContentFormat } from '../content/ContentFormat.js';
import { BadRequestError, Lwm2mError, MethodNotAllowedError } from '../lwm2m/errors.js';
import type { PathNode } from '../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { ResponseCode } from '../lwm2m/responses.js';
import { peerOfUri } from './coapRegistrationPort.js';
import type { ObjectTree } from './ObjectTree.js';
import type { ServerAccount } from './serverAccounts.js';

/** Options of one Send. */
export interface SendOptions {
  /** SenML CBOR (112, default) or SenML JSON (110); LwM2M CBOR (11544) for 1.2 servers. */
  readonly format?: number;
  /** Short Server ID of the target server; default the first registered one. */
  readonly ssid?: number;
  readonly timeoutMs?: number;
}

/** Sends data from the tree to a server. */
export class SendService {
  constructor(
    private readonly tree: ObjectTree,
    private readonly endpoint: () => CoapEndpoint,
    private readonly target: (ssid?: number) => ServerAccount | undefined,
  ) {}

  /** Reads `paths` and sends them; resolves when the server answered 2.04, else rejects with a Lwm2mError. */
  async send(paths: readonly (string | Lwm2mPath)[], opts: SendOptions = {}): Promise<void> {
    if (paths.length === 0) throw new BadRequestError('Send needs at least one path');
    const account = this.target(opts.ssid);
    if (!account) throw new BadRequestError('no registered server to send to');
    const muted = this.tree.get(1, account.serverInstance)?.read(23);
    if (muted?.kind === 'resource' && muted.value.value === true)
      throw new MethodNotAllowedError(`Send is muted for server ${account.ssid}`);
    const nodes: PathNode[] = paths.map((p) => {
      const path = typeof p === 'string' ? Lwm2mPath.parse(p) : p;
      return { path, node: this.tree.read(path) };
    });
    const format = opts.format ?? ContentFormat.SENML_CBOR;
    const res = await this.endpoint().request(peerOfUri(account.uri), {
      ...sendRequest(nodes, format, this.tree),
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
    if (res.code !== ResponseCode.CHANGED)
      throw new Lwm2mError(`Send answered 0x${res.code.toString(16)}`, 'LWM2M_SEND_REJECTED', res.code);
  }
}
