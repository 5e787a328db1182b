// LwM2M Transport TS 1.1.1 section 6.4 / Core TS 1.1.1 section 7.4: reading the body of an
// incoming request with the codec its Content-Format names. A missing or unknown format is 4.15
// (UnsupportedContentFormatError); a body that does not decode is 4.00 (DecodeError renders so).
import type { IncomingRequest } from '../coap/Router.js';
import type { MultiNodeCodec } from '../content/ContentCodec.js';
import { getMultiNodeCodec, getNodeCodec } from '../content/contentCodecs.js';
import { UnsupportedContentFormatError } from '../lwm2m/errors.js';
import type { Lwm2mNode, PathNode, TimestampedNodes } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import type { DecodeLimits } from '../content/decodeLimits.js';

/** What decoding a body needs: the models, and limits other than DEFAULT_DECODE_LIMITS (e.g. a firmware image's size). */
export interface BodyContext {
  readonly models: ModelLookup;
  readonly limits?: DecodeLimits;
}

function formatOf(req: IncomingRequest, what: string): number {
  if (req.contentFormat === undefined)
    throw new UnsupportedContentFormatError(`${what} needs a Content-Format option`);
  return req.contentFormat;
}

function multiCodec(req: IncomingRequest, what: string): { codec: MultiNodeCodec; format: number } {
  const format = formatOf(req, what);
  const codec = getMultiNodeCodec(format);
  if (!codec)
    throw new UnsupportedContentFormatError(`${what} cannot be carried in content format ${format}`);
  return { codec, format };
}

/** The body as one node at `path`, with its format. */
export function decodeNodeBody(
  req: IncomingRequest,
  path: Lwm2mPath,
  ctx: BodyContext,
  what: string,
): { node: Lwm2mNode; format: number } {
  const format = formatOf(req, what);
  const codec = getNodeCodec(format);
  if (!codec) throw new UnsupportedContentFormatError(`no codec for content format ${format}`);
  return { node: codec.decode(req.payload, path, ctx.models, ctx.limits), format };
}

/** The body as a list of paths (Read-Composite, Observe-Composite). */
export function decodePathsBody(req: IncomingRequest, what: string): { paths: Lwm2mPath[]; format: number } {
  const { codec, format } = multiCodec(req, what);
  return { paths: codec.decodePaths(req.payload), format };
}

/** The body as nodes at their paths (Write-Composite). */
export function decodeNodesBody(
  req: IncomingRequest,
  ctx: BodyContext,
  what: string,
): { nodes: PathNode[]; format: number } {
  const { codec, format } = multiCodec(req, what);
  return { nodes: codec.decodeNodes(req.payload, ctx.models, ctx.limits), format };
}

/** The body as timestamped groups of nodes (Send). */
export function decodeTimestampedBody(
  req: IncomingRequest,
  models: ModelLookup,
  what: string,
): { data: TimestampedNodes[]; format: number } {
  const { codec, format } = multiCodec(req, what);
  return { data: codec.decodeTimestamped(req.payload, models), format };
}
