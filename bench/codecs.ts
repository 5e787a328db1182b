// `npm run bench -- codecs [--json]`: encode and decode operations per second of every content
// format (Core TS 1.1.1 section 7.4, 1.2 section 7.4.7) for one Device object instance with all its
// readable resources, and for a 10-record pack of temperature readings (multi-path formats only).
import type { NodeCodec } from '../src/content/ContentCodec.js';
import { ContentFormat } from '../src/content/ContentFormat.js';
import { getMultiNodeCodec, getNodeCodec, NODE_FORMATS } from '../src/content/contentCodecs.js';
import type { PathNode } from '../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../src/lwm2m/Lwm2mPath.js';
import { instance, multipleResource, resource, resourceInstance } from '../src/lwm2m/nodes.js';
import { floatValue, integerValue, objlnkValue, stringValue, timeValue } from '../src/lwm2m/values.js';
import { createCoreRegistry } from '../src/model/core/coreModels.js';

const MEASURE_MS = 500;
const WARMUP_MS = 100;
const models = createCoreRegistry();

const FORMAT_NAMES: Record<number, string> = {
  [ContentFormat.TEXT]: 'text/plain',
  [ContentFormat.OPAQUE]: 'opaque',
  [ContentFormat.CBOR]: 'cbor',
  [ContentFormat.SENML_JSON]: 'senml+json',
  [ContentFormat.SENML_CBOR]: 'senml+cbor',
  [ContentFormat.TLV]: 'lwm2m+tlv',
  [ContentFormat.LWM2M_JSON]: 'lwm2m+json',
  [ContentFormat.LWM2M_CBOR]: 'lwm2m+cbor',
};

const DEVICE_PATH = Lwm2mPath.of(3, 0);
/** Device object instance /3/0 with every readable resource of Device 1.2, realistic values. */
const DEVICE = instance(0, [
  resource(0, stringValue('Open Mobile Alliance')),
  resource(1, stringValue('Lightweight M2M Client')),
  resource(2, stringValue('345000123')),
  resource(3, stringValue('1.0.2')),
  multipleResource(6, [resourceInstance(0, integerValue(1)), resourceInstance(1, integerValue(5))]),
  multipleResource(7, [resourceInstance(0, integerValue(3800)), resourceInstance(1, integerValue(5000))]),
  multipleResource(8, [resourceInstance(0, integerValue(125)), resourceInstance(1, integerValue(900))]),
  resource(9, integerValue(87)),
  resource(10, integerValue(15_360)),
  multipleResource(11, [resourceInstance(0, integerValue(0))]),
  resource(13, timeValue(1_732_406_400)),
  resource(14, stringValue('+01:00')),
  resource(15, stringValue('Europe/Berlin')),
  resource(16, stringValue('UQ')),
  resource(17, stringValue('smart meter')),
  resource(18, stringValue('rev C')),
  resource(19, stringValue('2.4.1')),
  resource(20, integerValue(1)),
  resource(21, integerValue(65_536)),
  multipleResource(22, [resourceInstance(0, objlnkValue(3303, 0))]),
]);

/** Ten temperature readings /3303/0..9/5700, as a composite read or Send would carry them. */
const PACK: PathNode[] = Array.from({ length: 10 }, (_, i) => ({
  path: Lwm2mPath.of(3303, i, 5700),
  node: resource(5700, floatValue(20 + i * 0.37)),
}));

let sink = 0;

/** Operations per second of `op`, run for about MEASURE_MS after a short warm-up. */
function opsPerSec(op: () => unknown): number {
  const until = (ms: number): { ops: number; ms: number } => {
    const start = performance.now();
    let ops = 0;
    let now = start;
    let batch = 1;
    while (now - start < ms) {
      for (let i = 0; i < batch; i++) {
        const r = op();
        sink ^= r === undefined ? 0 : 1;
      }
      ops += batch;
      now = performance.now();
      if (now - start < ms / 20) batch *= 2;
    }
    return { ops, ms: now - start };
  };
  until(WARMUP_MS);
  const r = until(MEASURE_MS);
  return (r.ops * 1000) / r.ms;
}

/** One row of results: undefined where the format cannot carry the payload. */
interface Row {
  format: number;
  name: string;
  deviceBytes?: number;
  deviceEncode?: number;
  deviceDecode?: number;
  packBytes?: number;
  packEncode?: number;
  packDecode?: number;
}

function tryEncode(codec: NodeCodec): Uint8Array | undefined {
  try {
    return codec.encode(DEVICE_PATH, DEVICE, models);
  } catch {
    return undefined; // single-value formats cannot carry an object instance
  }
}

function measure(format: number): Row {
  const codec = getNodeCodec(format)!;
  const row: Row = { format, name: FORMAT_NAMES[format] ?? String(format) };
  const device = tryEncode(codec);
  if (device) {
    row.deviceBytes = device.length;
    row.deviceEncode = opsPerSec(() => codec.encode(DEVICE_PATH, DEVICE, models));
    row.deviceDecode = opsPerSec(() => codec.decode(device, DEVICE_PATH, models));
  }
  const multi = getMultiNodeCodec(format);
  if (multi) {
    const pack = multi.encodeNodes(PACK, models);
    row.packBytes = pack.length;
    row.packEncode = opsPerSec(() => multi.encodeNodes(PACK, models));
    row.packDecode = opsPerSec(() => multi.decodeNodes(pack, models));
  }
  return row;
}

const cell = (n: number | undefined, width: number): string =>
  (n === undefined ? '–' : Math.round(n).toLocaleString('en-US')).padStart(width);

/** Runs the benchmark and prints a table (and a JSON line with --json). */
export function run(args: readonly string[]): void {
  const rows = NODE_FORMATS.map(measure).filter(
    (r) => r.deviceBytes !== undefined || r.packBytes !== undefined,
  );
  console.log(
    `Content codecs, ops/s (about ${MEASURE_MS} ms each): Device /3/0 (${DEVICE.resources.length} resources), 10-record pack`,
  );
  console.log(
    `${'format'.padEnd(18)}${'dev B'.padStart(7)}${'dev enc/s'.padStart(12)}${'dev dec/s'.padStart(12)}` +
      `${'pack B'.padStart(8)}${'pack enc/s'.padStart(12)}${'pack dec/s'.padStart(12)}`,
  );
  for (const r of rows) {
    console.log(
      `${`${r.name} (${r.format})`.padEnd(18)}${cell(r.deviceBytes, 7)}${cell(r.deviceEncode, 12)}${cell(r.deviceDecode, 12)}` +
        `${cell(r.packBytes, 8)}${cell(r.packEncode, 12)}${cell(r.packDecode, 12)}`,
    );
  }
  if (sink === 42) console.log(''); // keeps the results observable to the optimiser
  if (args.includes('--json')) {
    const round = (n: number | undefined) => (n === undefined ? null : Math.round(n));
    console.log(
      JSON.stringify({
        benchmark: 'codecs',
        measureMs: MEASURE_MS,
        formats: rows.map((r) => ({
          format: r.format,
          name: r.name,
          deviceBytes: r.deviceBytes ?? null,
          deviceEncodePerSec: round(r.deviceEncode),
          deviceDecodePerSec: round(r.deviceDecode),
          packBytes: r.packBytes ?? null,
          packEncodePerSec: round(r.packEncode),
          packDecodePerSec: round(r.packDecode),
        })),
      }),
    );
  }
}
