// LwM2M Transport TS 1.1.1 section 6.5 (Information Reporting: Notify is a 2.05 Content response
// carrying the Observe sequence number) and Core TS 1.1.1 section 5.5: a notification of a single
// or composite observation, decoded with the codec of its Content-Format.
import type { CoapResponse } from '../coap/CoapResponse.js';
import { formatCode, OptionNumber } from '../coap/CoapMessage.js';
import { decodeUint } from '../coap/options.js';
import { getMultiNodeCodec, requireNodeCodec } from '../content/contentCodecs.js';
import { ContentFormat } from '../content/ContentFormat.js';
import type { Lwm2mNode, PathNode, TimestampedNodes } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { isSuccess, type Notification } from '../lwm2m/responses.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { DecodeError } from '../transport/DecodeError.js';
import { buildTree } from '../lwm2m/nodes.js';

function sequenceOf(res: CoapResponse): number | undefined {
  for (const o of res.options) if (o.number === OptionNumber.OBSERVE) return decodeUint(o.value);
  return undefined;
}

/**
 * Decodes a notification (2.05 with an Observe option; also the first response of the
 * relation). Multi-path formats are read as timestamped groups: when a record carries a time the
 * groups are returned in `timestamped` (historical values, 1.2 section 5.5.1) and `content` holds
 * the newest group. Throws DecodeError for an error code or a payload that does not decode,
 * UnsupportedContentFormatError for a format with no codec. An error code ends the relation: read
 * it with toLwm2mResponse instead.
 */
export function decodeNotification(
  kind: 'observe' | 'observeComposite',
  paths: Lwm2mPath | readonly Lwm2mPath[],
  res: CoapResponse,
  models: ModelLookup,
): Notification {
  if (!isSuccess(res.code)) throw new DecodeError(`notification with code ${formatCode(res.code)}`, 0);
  const sequence = sequenceOf(res);
  const format = res.contentFormat ?? (kind === 'observe' ? ContentFormat.TEXT : undefined);
  if (format === undefined) throw new DecodeError('composite notification without Content-Format', 0);
  const multi = getMultiNodeCodec(format);
  if (kind === 'observeComposite') {
    if (!multi) throw new DecodeError(`content format ${format} cannot carry several paths`, 0);
    const groups = multi.decodeTimestamped(res.payload, models);
    const content = groups.flatMap((g) => g.nodes);
    return isHistorical(groups)
      ? { content, timestamped: groups, format, ...sequenceField(sequence) }
      : { content, format, ...sequenceField(sequence) };
  }
  const path = isPathList(paths) ? paths[0] : paths;
  if (path === undefined) throw new DecodeError('observe notification without a path', 0);
  if (multi) {
    const groups = multi.decodeTimestamped(res.payload, models);
    if (isHistorical(groups)) {
      const newest = groups.reduce((a, b) => ((b.timestamp ?? 0) > (a.timestamp ?? 0) ? b : a));
      const content = toTree(path, newest.nodes, models);
      return { content, timestamped: groups, format, ...sequenceField(sequence) };
    }
  }
  const content = requireNodeCodec(format).decode(res.payload, path, models);
  // Every notification of a single-path observation comes here: no object spread into its result.
  return sequence === undefined ? { content, format } : { content, format, sequence };
}

/** `{ sequence }`, or nothing to spread when the notification carries no Observe number. */
const sequenceField = (sequence: number | undefined): { sequence?: number } =>
  sequence === undefined ? {} : { sequence };

const isPathList = (p: Lwm2mPath | readonly Lwm2mPath[]): p is readonly Lwm2mPath[] => Array.isArray(p);

const isHistorical = (groups: readonly TimestampedNodes[]): boolean =>
  groups.some((g) => g.timestamp !== undefined);

function toTree(path: Lwm2mPath, leaves: readonly PathNode[], models: ModelLookup): Lwm2mNode {
  try {
    return buildTree(path, leaves, models);
  } catch (e) {
    throw new DecodeError(`notification records do not fit ${path.toString()}: ${(e as Error).message}`, 0);
  }
}
