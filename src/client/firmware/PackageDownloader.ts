// LwM2M Core TS 1.1.1 Appendix E.6 (Firmware Update, resource 1 Package URI, pull delivery): fetches
// a firmware package from a coap:// URI (a block-wise GET, RFC 7959 section 2.4) or an http(s)://
// URI, within an overall deadline and a size bound. Failures carry the Update Result they mean:
// 2 too large for the device, 4 connection lost (timeout, refused, reset, server error),
// 7 invalid URI (unparsable, or the resource does not exist: 4.04 / 404), 9 unsupported protocol.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { systemClock, type Clock } from '../../coap/Clock.js';
import { CoapEndpoint } from '../../coap/CoapEndpoint.js';
import type { CoapRequestOptions } from '../../coap/CoapRequest.js';
import type { CoapResponse } from '../../coap/CoapResponse.js';
import { BlockwiseError } from '../../coap/blockwise/BlockwiseError.js';
import { makePeer, type Peer } from '../../transport/Peer.js';
import { UdpTransport } from '../../transport/udp/UdpTransport.js';
import type { DownloadFailure } from './FirmwareUpdateStateMachine.js';
import { formatCode } from '../../coap/CoapMessage.js';

/** A download that failed, with the Update Result (resource 5) it stands for. */
export class FirmwareDownloadError extends Error {
  readonly code = 'FIRMWARE_DOWNLOAD_FAILED';
  constructor(
    message: string,
    readonly result: DownloadFailure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a coap:// download needs: a CoAP endpoint that reassembles Block2 responses. */
export interface CoapRequester {
  request(peer: Peer, req: CoapRequestOptions): Promise<CoapResponse>;
}

/** Settings of a PackageDownloader (all optional). */
export interface PackageDownloaderOptions {
  readonly clock?: Clock;
  /** Overall deadline of one download, ms (default 120 000). */
  readonly timeoutMs?: number;
  /** Largest package accepted, bytes (default 16 MiB); larger means result 2. */
  readonly maxBytes?: number;
  /**
   * Endpoint for coap:// downloads (block-wise on, as CoapEndpoint has by default). Default: a
   * fresh UDP endpoint per download, closed afterwards, bounded by `maxBytes`.
   */
  readonly coap?: CoapRequester;
}

/** URI schemes this downloader fetches (Firmware Update Protocol Support values 0, 2, 3). */
export const DOWNLOAD_SCHEMES: readonly string[] = ['coap', 'http', 'https'];

const DEFAULT_PORTS: Readonly<Record<string, number>> = { coap: 5683 };
const CODE_NOT_FOUND = 0x84;

/** Parses a Package URI; throws FirmwareDownloadError 7 (invalid) or 9 (unsupported scheme). */
export function parsePackageUri(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (e) {
    throw new FirmwareDownloadError(`invalid Package URI "${uri.slice(0, 80)}"`, 7, { cause: e });
  }
  const scheme = url.protocol.slice(0, -1);
  if (!DOWNLOAD_SCHEMES.includes(scheme))
    throw new FirmwareDownloadError(`unsupported Package URI scheme "${scheme}"`, 9);
  if (url.hostname === '')
    throw new FirmwareDownloadError(`Package URI "${uri.slice(0, 80)}" has no host`, 7);
  return url;
}

/** Fetches firmware packages named by a Package URI. */
export class PackageDownloader {
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(private readonly options: PackageDownloaderOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  }

  /** Downloads the package; rejects with FirmwareDownloadError (also when `signal` aborts: 4). */
  async download(uri: string, signal?: AbortSignal): Promise<Uint8Array> {
    const url = parsePackageUri(uri);
    const ctl = new AbortController();
    const onAbort = (): void => ctl.abort();
    signal?.addEventListener('abort', onAbort);
    const timer = this.clock.setTimer(this.timeoutMs, () => ctl.abort());
    try {
      const body = await (url.protocol === 'coap:'
        ? this.fromCoap(url, ctl.signal)
        : this.fromHttp(url, ctl.signal));
      if (body.length > this.maxBytes) throw tooLarge(body.length, this.maxBytes);
      return body;
    } catch (e) {
      if (e instanceof FirmwareDownloadError) throw e;
      if (e instanceof BlockwiseError && e.failure === 'too-large')
        throw new FirmwareDownloadError('package too large', 2, { cause: e });
      const why = ctl.signal.aborted
        ? 'download aborted or timed out'
        : `download failed: ${(e as Error).message}`;
      throw new FirmwareDownloadError(why, 4, { cause: e });
    } finally {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async fromCoap(url: URL, signal: AbortSignal): Promise<Uint8Array> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const address = isIP(host) ? host : (await lookup(host)).address;
    const peer = makePeer(address, url.port === '' ? DEFAULT_PORTS.coap! : Number(url.port));
    const path = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const query = url.search === '' ? [] : url.search.slice(1).split('&').map(decodeURIComponent);
    const own = this.options.coap ? undefined : await this.openEndpoint();
    try {
      const requester = this.options.coap ?? own!;
      const res = await requester.request(peer, {
        method: 'GET',
        path,
        query,
        timeoutMs: this.timeoutMs,
        signal,
      });
      if (res.code === CODE_NOT_FOUND) throw new FirmwareDownloadError(`no package at ${url.href}`, 7);
      if (res.code >> 5 !== 2) throw new FirmwareDownloadError(`server answered ${formatCode(res.code)}`, 4);
      return res.payload;
    } finally {
      await own?.close();
    }
  }

  private async openEndpoint(): Promise<CoapEndpoint> {
    const transport = await UdpTransport.bind();
    return new CoapEndpoint(transport, { clock: this.clock, blockwise: { maxBodyBytes: this.maxBytes } });
  }

  private fromHttp(url: URL, signal: AbortSignal): Promise<Uint8Array> {
    const get = url.protocol === 'https:' ? https.get : http.get;
    return new Promise<Uint8Array>((resolve, reject) => {
      const req = get(url, { signal }, (res) => {
        const status = res.statusCode ?? 0;
        if (status === 404 || status === 410) {
          res.resume();
          return reject(new FirmwareDownloadError(`no package at ${url.href} (HTTP ${status})`, 7));
        }
        if (status < 200 || status > 299) {
          res.resume();
          return reject(new FirmwareDownloadError(`HTTP ${status} from ${url.href}`, 4));
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > this.maxBytes) {
          req.destroy();
          return reject(tooLarge(declared, this.maxBytes));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxBytes) {
            req.destroy();
            reject(tooLarge(size, this.maxBytes));
          } else chunks.push(chunk);
        });
        res.on('end', () => {
          if (!res.complete) reject(new FirmwareDownloadError('connection closed mid-package', 4));
          else resolve(new Uint8Array(Buffer.concat(chunks)));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  }
}

function tooLarge(size: number, max: number): FirmwareDownloadError {
  return new FirmwareDownloadError(`package of ${size} bytes exceeds ${max}`, 2);
}
