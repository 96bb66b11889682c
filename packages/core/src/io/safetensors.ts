import { fail, formatShape } from '../errors.js';
import { shapeSize, Tensor } from '../tensor.js';

/** Named tensors plus string metadata, as held by a safetensors file. */
export interface SafetensorsContents {
  readonly tensors: Map<string, Tensor>;
  readonly metadata: Record<string, string>;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Element types read (converted to float32); convlab writes F32 only. I64 covers PyTorch's `num_batches_tracked`. */
const BYTES_PER_ELEMENT: ReadonlyMap<string, number> = new Map([['F32', 4], ['F64', 8], ['I64', 8]]);
/** Headers larger than this are refused (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/**
 * Encodes tensors as a safetensors file (Hugging Face's format, readable from Python with
 * `safetensors.torch.load_file`): an 8-byte little-endian header length N, N bytes of JSON
 * `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}`
 * padded with spaces to a multiple of 8, then the little-endian float32 values, tensors in the
 * given order, back to back.
 */
export function encodeSafetensors(tensors: Iterable<[string, Tensor]>, metadata: Record<string, string> = {}): Uint8Array {
  // No prototype: names such as `toString` or `__proto__` are plain keys.
  const header: Record<string, HeaderEntry | Record<string, string>> = Object.create(null) as Record<string, HeaderEntry | Record<string, string>>;
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  const entries = [...tensors];
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__' || Object.hasOwn(header, name)) fail('safetensors', `tensor name '${name}' is reserved or repeated`);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * t.size] };
    offset += 4 * t.size;
  }
  const utf8 = new TextEncoder();
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (utf8.encode(json).length % 8)) % 8);
  const headerBytes = utf8.encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let p = 8 + headerBytes.length;
  for (const [, t] of entries) {
    for (const v of t.data) {
      view.setFloat32(p, v, true);
      p += 4;
    }
  }
  return out;
}

/**
 * Decodes a safetensors file, checking it thoroughly: header length within the file, valid JSON,
 * known dtypes, offsets that match each shape and tile the data area exactly. F64 and I64 tensors
 * are converted to float32. `source` names the file in errors.
 */
export function decodeSafetensors(bytes: Uint8Array, source: string): SafetensorsContents {
  const where = `safetensors file ${source}`;
  if (bytes.length < 8) fail(where, `truncated: ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) {
    fail(where, `header length ${headerLength} does not fit in the file's ${bytes.length} bytes (not a safetensors file, or truncated)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail(where, `the header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail(where, 'the header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const { __metadata__: rawMetadata, ...described } = header as Record<string, unknown>;
  const metadata = checkMetadata(rawMetadata, where);
  const spans: [number, number, string][] = [];
  const tensors = new Map<string, Tensor>();
  for (const [name, raw] of Object.entries(described)) {
    const entry = checkEntry(name, raw, where);
    const width = BYTES_PER_ELEMENT.get(entry.dtype)!;
    const [begin, end] = entry.data_offsets;
    const count = shapeSize(entry.shape);
    if (end - begin !== count * width) {
      fail(where, `tensor '${name}' (${entry.dtype} ${formatShape(entry.shape)}) needs ${count * width} bytes, its data_offsets [${begin}, ${end}] span ${end - begin}`);
    }
    if (end > dataLength) fail(where, `truncated: tensor '${name}' ends at byte ${end} of the data, which has ${dataLength}`);
    spans.push([begin, end, name]);
    tensors.set(name, new Tensor(readValues(view, dataStart + begin, count, entry.dtype), entry.shape));
  }
  spans.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== covered) fail(where, `tensor '${name}' starts at byte ${begin} of the data, expected ${covered} (overlapping or gapped data_offsets)`);
    covered = end;
  }
  if (covered !== dataLength) fail(where, `${dataLength - covered} bytes of data after the last tensor`);
  return { tensors, metadata };
}

function checkMetadata(raw: unknown, where: string): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Object.values(raw).some((v) => typeof v !== 'string')) {
    fail(where, '__metadata__ must map strings to strings');
  }
  return raw as Record<string, string>;
}

function checkEntry(name: string, raw: unknown, where: string): HeaderEntry {
  const e = raw as Partial<HeaderEntry> | null;
  const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (typeof e !== 'object' || e === null || typeof e.dtype !== 'string' || !Array.isArray(e.shape) || !e.shape.every(isCount) ||
      !Array.isArray(e.data_offsets) || e.data_offsets.length !== 2 || !e.data_offsets.every(isCount) || e.data_offsets[0] > e.data_offsets[1]) {
    fail(where, `tensor '${name}' needs {"dtype", "shape": [non-negative integers], "data_offsets": [begin, end]}, got ${JSON.stringify(raw)}`);
  }
  if (!BYTES_PER_ELEMENT.has(e.dtype)) fail(where, `tensor '${name}' has dtype ${e.dtype}; convlab reads F32, F64 and I64`);
  return e as HeaderEntry;
}

function readValues(view: DataView, at: number, count: number, dtype: string): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = dtype === 'F32' ? view.getFloat32(at + 4 * i, true) : dtype === 'F64' ? view.getFloat64(at + 8 * i, true) : Number(view.getBigInt64(at + 8 * i, true));
  }
  return out;
}
