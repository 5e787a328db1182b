// LwM2M Transport TS 1.1.1 sections 6.2, 6.4 and 6.5, client side: the CoAP response a client
// sends for each operation (2.05 Content in the Accept'ed or the client's preferred format, 2.05
// link format for Discover, 2.01 with Location-Path for Create, 2.04 / 2.02 otherwise).
import { Code, OptionNumber, type CoapOption } from '../coap/CoapMessage.js';
import type { OutgoingResponse } from '../coap/Router.js';
import { getMultiNodeCodec, getNodeCodec } from '../content/contentCodecs.js';
import { ContentFormat } from '../content/ContentFormat.js';
import { COMPOSITE_FORMATS_BY_VERSION, FORMATS_BY_VERSION } from '../content/formatSelection.js';
import { NotAcceptableError, UnsupportedContentFormatError } from '../lwm2m/errors.js';
import { formatDiscoverResponse, type DiscoverLink } from '../lwm2m/linkFormat.js';
import type { Lwm2mNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { chooseCompositeFormat, chooseFormat, type FormatContext } from './chooseFormat.js';
import { toUriPath } from './uriPath.js';

const utf8 = new TextEncoder();

/** What a client needs to answer: its models, its LwM2M version, and its alternate root path. */
export interface ClientResponseContext extends FormatContext {
  readonly rootPath?: string;
}

/** Runs an encoder, turning "this format cannot carry the node" into 4.06 Not Acceptable. */
function encodeAs(format: number, encode: () => Uint8Array): Uint8Array {
  try {
    return encode();
  } catch (e) {
    if (e instanceof UnsupportedContentFormatError)
      throw new NotAcceptableError(`content format ${format} cannot carry this content: ${e.message}`);
    throw e;
  }
}

/**
 * 2.05 Content with `node` (Read, Observe, Bootstrap-Read, and each notification) in the format
 * asked for with Accept (`accept`), else the client's preferred one. Throws NotAcceptableError
 * (4.06) for an Accept'ed format the client's version lacks or that cannot carry the node.
 */
export function contentResponse(
  path: Lwm2mPath,
  node: Lwm2mNode,
  accept: number | undefined,
  ctx: ClientResponseContext,
): OutgoingResponse {
  const format = accept ?? chooseFormat('read', path, ctx);
  const codec = getNodeCodec(format);
  if (!codec || !FORMATS_BY_VERSION[ctx.lwm2mVersion].includes(codec.format))
    throw new NotAcceptableError(`content format ${format} is not supported`);
  const payload = encodeAs(format, () => codec.encode(path, node, ctx.models));
  return { code: Code.CONTENT, contentFormat: format, payload };
}

/** 2.05 Content with nodes at their paths (Read-Composite, Observe-Composite); 4.06 as above. */
export function compositeContentResponse(
  nodes: readonly PathNode[],
  accept: number | undefined,
  ctx: ClientResponseContext,
): OutgoingResponse {
  const format = accept ?? chooseCompositeFormat(ctx);
  const codec = getMultiNodeCodec(format);
  if (!codec || !COMPOSITE_FORMATS_BY_VERSION[ctx.lwm2mVersion].includes(codec.format))
    throw new NotAcceptableError(`content format ${format} cannot carry several paths`);
  const payload = encodeAs(format, () => codec.encodeNodes(nodes, ctx.models));
  return { code: Code.CONTENT, contentFormat: format, payload };
}

/** 2.05 Content in application/link-format (Discover, Bootstrap-Discover). */
export function discoverResponse(links: readonly DiscoverLink[]): OutgoingResponse {
  return {
    code: Code.CONTENT,
    contentFormat: ContentFormat.LINK,
    payload: utf8.encode(formatDiscoverResponse(links)),
  };
}

/** 2.01 Created with the new instance's path as Location-Path (Core TS 5.4.6), below the root path. */
export function createdResponse(location: Lwm2mPath, rootPath?: string): OutgoingResponse {
  const options: CoapOption[] = toUriPath(location, rootPath).map((s) => ({
    number: OptionNumber.LOCATION_PATH,
    value: utf8.encode(s),
  }));
  return { code: Code.CREATED, options };
}

/** 2.04 Changed: Write, Write-Attributes, Execute, Write-Composite, Bootstrap-Write/-Finish. */
export const changedResponse = (): OutgoingResponse => ({ code: Code.CHANGED });

/** 2.02 Deleted: Delete, Bootstrap-Delete. */
export const deletedResponse = (): OutgoingResponse => ({ code: Code.DELETED });
