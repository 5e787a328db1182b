// LwM2M Transport TS 1.1.1 section 6.2 (Bootstrap interface), 6.4 (Device Management and Service
// Enablement) and 6.5 (Information Reporting): each downlink request a server or bootstrap server
// sends, as the CoAP request (method, Uri-Path, Uri-Query, Content-Format, Accept, Observe, body).
import type { CoapRequestOptions } from '../coap/CoapRequest.js';
import { OptionNumber, type CoapOption } from '../coap/CoapMessage.js';
import { encodeUint } from '../coap/options.js';
import { requireMultiNodeCodec, requireNodeCodec } from '../content/contentCodecs.js';
import { ContentFormat } from '../content/ContentFormat.js';
import { createFormat } from '../content/idlessCreate.js';
import { formatAttributes } from '../lwm2m/attributes.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { object } from '../lwm2m/nodes.js';
import type { BootstrapDownlinkRequest, DownlinkRequest } from '../lwm2m/requests.js';
import { chooseCompositeFormat, chooseFormat, type FormatContext } from './chooseFormat.js';
import { BOOTSTRAP_PATH, toUriPathText } from './uriPath.js';

/** What toCoapRequest needs to know about the client it addresses. */
export interface DownlinkContext extends FormatContext {
  /** The client's alternate root path (e.g. '/lwm2m'), '/' or absent when none. */
  readonly rootPath?: string;
}

const observeOption = (value: 0 | 1): CoapOption => ({
  number: OptionNumber.OBSERVE,
  value: encodeUint(value),
});

/**
 * The CoAP request for `req`. Formats default to chooseFormat's choice unless the request names
 * one; bodies are encoded with the codec of their format (throws UnsupportedContentFormatError
 * when that format cannot carry the node). A Create without an instance id goes as TLV whatever
 * format was asked, as no other format can carry it (content/idlessCreate.ts).
 *
 * Observe and Observe-Composite carry Observe=0: send them with `CoapEndpoint.observe(peer,
 * options)` (which sets Observe=0 again and keeps the token for the notifications), never with
 * `request()`. The two cancel kinds carry Observe=1 but CoapRequestOptions cannot carry the
 * observation's token: a server cancels its relation with `CoapObservation.cancel()`, which sends
 * this same request with the relation's token (RFC 7641 section 3.6).
 */
export function toCoapRequest(
  req: DownlinkRequest | BootstrapDownlinkRequest,
  ctx: DownlinkContext,
): CoapRequestOptions {
  const { models } = ctx;
  switch (req.kind) {
    case 'read':
    case 'bootstrapRead':
      return {
        method: 'GET',
        path: toUriPathText(req.path, ctx.rootPath),
        accept: req.format ?? chooseFormat('read', req.path, ctx),
      };
    case 'observe':
      return {
        method: 'GET',
        path: toUriPathText(req.path, ctx.rootPath),
        accept: req.format ?? chooseFormat('observe', req.path, ctx),
        options: [observeOption(0)],
      };
    case 'cancelObservation':
      return { method: 'GET', path: toUriPathText(req.path, ctx.rootPath), options: [observeOption(1)] };
    case 'discover':
      return {
        method: 'GET',
        path: toUriPathText(req.path, ctx.rootPath),
        accept: ContentFormat.LINK,
        ...(req.depth === undefined ? {} : { query: [`depth=${req.depth}`] }),
      };
    case 'bootstrapDiscover':
      return { method: 'GET', path: toUriPathText(req.path, ctx.rootPath), accept: ContentFormat.LINK };
    case 'write':
    case 'bootstrapWrite': {
      const format = req.format ?? chooseFormat('write', req.path, ctx);
      return {
        method: req.kind === 'write' && req.mode === 'update' ? 'POST' : 'PUT',
        path: toUriPathText(req.path, ctx.rootPath),
        contentFormat: format,
        payload: requireNodeCodec(format).encode(req.path, req.node, models),
      };
    }
    case 'writeAttributes':
      return {
        method: 'PUT',
        path: toUriPathText(req.path, ctx.rootPath),
        query: formatAttributes(req.attributes),
      };
    case 'execute':
      // Core TS 5.4.5: the arguments travel as a text/plain payload.
      return req.arguments === undefined
        ? { method: 'POST', path: toUriPathText(req.path, ctx.rootPath) }
        : {
            method: 'POST',
            path: toUriPathText(req.path, ctx.rootPath),
            contentFormat: ContentFormat.TEXT,
            payload: req.arguments,
          };
    case 'create': {
      const node = object(req.path.objectId!, req.instances);
      // Only TLV can leave the instance id out (Core TS 1.1.1 6.3.6, 7.4.3): such a Create goes as TLV.
      const wanted = req.format ?? chooseFormat('create', req.path, ctx);
      const format = createFormat(wanted, req.path, node);
      return {
        method: 'POST',
        path: toUriPathText(req.path, ctx.rootPath),
        contentFormat: format,
        payload: requireNodeCodec(format).encode(req.path, node, models),
      };
    }
    case 'delete':
    case 'bootstrapDelete':
      return { method: 'DELETE', path: toUriPathText(req.path, ctx.rootPath) };
    case 'readComposite':
    case 'observeComposite':
    case 'cancelCompositeObservation': {
      const bodyFormat = req.requestFormat ?? chooseCompositeFormat(ctx);
      const base: CoapRequestOptions = {
        method: 'FETCH',
        path: toUriPathText(Lwm2mPath.ROOT, ctx.rootPath),
        contentFormat: bodyFormat,
        payload: requireMultiNodeCodec(bodyFormat).encodePaths(req.paths),
      };
      if (req.kind === 'cancelCompositeObservation') return { ...base, options: [observeOption(1)] };
      const accept = req.format ?? chooseCompositeFormat(ctx);
      return req.kind === 'observeComposite'
        ? { ...base, accept, options: [observeOption(0)] }
        : { ...base, accept };
    }
    case 'writeComposite': {
      const format = req.format ?? chooseCompositeFormat(ctx);
      return {
        method: 'IPATCH',
        path: toUriPathText(Lwm2mPath.ROOT, ctx.rootPath),
        contentFormat: format,
        payload: requireMultiNodeCodec(format).encodeNodes(req.nodes, models),
      };
    }
    case 'bootstrapFinish':
      // Transport TS 6.2: POST /bs, not below the alternate root path.
      return { method: 'POST', path: [BOOTSTRAP_PATH] };
  }
}
