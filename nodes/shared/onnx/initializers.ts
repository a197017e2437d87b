/**
 * Read and replace the float32 initializers (the weights) of an ONNX model, from and into its
 * bytes, with a minimal protobuf reader of our own: ModelProto.graph (field 7) →
 * GraphProto.initializer (field 5) → TensorProto name (8), dims (1), data_type (2), raw_data (9)
 * or float_data (4).
 *
 * Replacing is done in place on a copy of the bytes: new weights have exactly the size of the old
 * ones, so every length prefix stays valid and the rest of the file (graph, opset, metadata) is
 * untouched byte for byte.
 *
 *   const inits = readInitializers(bytes);          // Map name → { dims: [256, 128], data: Float32Array(32768), … }
 *   const tuned = replaceInitializers(bytes, new Map([['transformer.wpe.weight', newWpe]]));
 *   readInitializers(tuned).get('transformer.wpe.weight')!.data  // equals newWpe
 *   findEmbeddingTable(bytes, 50257)?.row(1842)      // the 128 numbers 'Ġlove' starts as
 *
 * Used by the Transformer node (the embedding a token starts as) and the Fine-tune node (the
 * weights it trains and writes back).
 *
 * Why a reader of our own and not protobufjs with onnx.proto (protobufjs is already installed,
 * under onnxruntime-web): we read five fields of three messages, and replacing weights needs the
 * byte offset of each raw_data, which protobufjs does not expose. With it we would decode the
 * whole ModelProto into objects (a copy of every weight) and encode a new file on every save, and
 * ship either the .proto parser or generated code for all of ONNX into the worker. The reader and
 * writer are under 200 lines, allocate only the float arrays asked for, and leave every byte not
 * replaced as it was (tests run the written file in onnxruntime and compare its predictions).
 *
 * Not handled here: initializers of other types than float32 (listed, not decoded), weights in
 * external data files, Constant nodes, sparse initializers, initializers of subgraphs, and adding
 * or renaming initializers (a different size would need the length prefixes rewritten). Assumes a
 * little-endian host, as ONNX's raw_data is little-endian (true of every browser and Node target).
 */

const FLOAT = 1;

export interface Initializer {
  name: string;
  dims: number[];
  /** ONNX TensorProto.DataType: 1 = float32. */
  dataType: number;
  /** The values, for float32 initializers; a copy, safe to keep after the bytes change. */
  data: Float32Array | null;
  /** Where the values sit in the file: byte offset and length of raw_data (or packed float_data). */
  offset: number;
  byteLength: number;
}

class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a number (exact below 2^53, plenty for tags, lengths and dims). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error('ONNX file ends inside a number.');
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Error('ONNX file has a malformed number.');
  }

  /** Start and end of a length-delimited field's payload; moves past it. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new Error('ONNX file ends inside a field (truncated download?).');
    return [start, this.pos];
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        return;
      case 2:
        this.span();
        return;
      case 5:
        this.pos += 4;
        return;
      default:
        throw new Error(`ONNX file uses protobuf wire type ${wireType}, which this reader does not handle.`);
    }
  }
}

/** The length-delimited fields of a message (sub-messages, strings, bytes) as spans; others are skipped. */
function* spans(bytes: Uint8Array, start: number, end: number) {
  const reader = new Reader(bytes, start, end);
  while (!reader.done) {
    const tag = reader.varint();
    const wireType = tag & 7;
    if (wireType !== 2) {
      reader.skip(wireType);
      continue;
    }
    const [from, to] = reader.span();
    yield { field: Math.floor(tag / 8), from, to };
  }
}

function readTensor(bytes: Uint8Array, start: number, end: number): Initializer {
  let name = '';
  const dims: number[] = [];
  let dataType = 0;
  let raw: [number, number] | null = null;
  let packedFloats: [number, number] | null = null;
  let external = false;
  const reader = new Reader(bytes, start, end);
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (field === 1 && wireType === 0) dims.push(reader.varint());
    else if (field === 1 && wireType === 2) {
      const [from, to] = reader.span();
      const packed = new Reader(bytes, from, to);
      while (!packed.done) dims.push(packed.varint());
    } else if (field === 2 && wireType === 0) dataType = reader.varint();
    else if (field === 8 && wireType === 2) name = new TextDecoder().decode(bytes.subarray(...reader.span()));
    else if (field === 9 && wireType === 2) raw = reader.span();
    else if (field === 4 && wireType === 2) packedFloats = reader.span();
    else if (field === 14 && wireType === 0) external = reader.varint() === 1;
    else reader.skip(wireType);
  }
  if (external) throw new Error(`The ONNX initializer '${name}' is stored in an external data file, which is not supported here.`);
  const [offset, stop] = raw ?? packedFloats ?? [end, end];
  const byteLength = stop - offset;
  let data: Float32Array | null = null;
  if (dataType === FLOAT) {
    const count = dims.reduce((a, b) => a * b, 1);
    if (byteLength !== count * 4) {
      throw new Error(`The ONNX initializer '${name}' has ${byteLength} bytes of data for ${count} floats (unpacked float_data is not supported).`);
    }
    // slice() copies into a fresh, aligned buffer (raw_data may start at any byte).
    data = new Float32Array(bytes.slice(offset, stop).buffer);
  }
  return { name, dims, dataType, data, offset, byteLength };
}

/** The main graph's initializers by name. */
export function readInitializers(bytes: Uint8Array): Map<string, Initializer> {
  const result = new Map<string, Initializer>();
  for (const model of spans(bytes, 0, bytes.length)) {
    if (model.field !== 7) continue;
    for (const graph of spans(bytes, model.from, model.to)) {
      if (graph.field !== 5) continue;
      const tensor = readTensor(bytes, graph.from, graph.to);
      result.set(tensor.name, tensor);
    }
  }
  if (result.size === 0) throw new Error('No weights found: this does not look like an ONNX model with initializers.');
  return result;
}

/**
 * A copy of the model bytes with the named float32 initializers' values replaced. Every name must
 * exist and every replacement must have the initializer's exact number of values.
 */
export function replaceInitializers(bytes: Uint8Array, replacements: ReadonlyMap<string, Float32Array>): Uint8Array {
  const inits = readInitializers(bytes);
  const out = bytes.slice();
  for (const [name, values] of replacements) {
    const init = inits.get(name);
    if (!init) throw new Error(`The ONNX model has no initializer '${name}'.`);
    if (init.dataType !== FLOAT) throw new Error(`The ONNX initializer '${name}' is not float32.`);
    if (values.byteLength !== init.byteLength) {
      throw new Error(`'${name}' holds ${init.byteLength / 4} values; ${values.length} were given.`);
    }
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), init.offset);
  }
  return out;
}

export interface FloatMatrix {
  name: string;
  rows: number;
  cols: number;
  /** One row as float32 values. */
  row(index: number): Float32Array;
}

/**
 * The token-embedding table: the float32 initializer of shape [vocabSize, width]. Matched by
 * shape rather than name, because exporters name it differently ('transformer.wte.weight',
 * 'model.embed_tokens.weight', 'onnx::Gather_…'). Null when there is none (quantized exports).
 */
export function findEmbeddingTable(bytes: Uint8Array, vocabSize: number): FloatMatrix | null {
  let inits: Map<string, Initializer>;
  try {
    inits = readInitializers(bytes);
  } catch {
    return null;
  }
  const table = [...inits.values()].find((t) => t.data !== null && t.dims.length === 2 && t.dims[0] === vocabSize);
  if (!table?.data) return null;
  const data = table.data;
  const rows = table.dims[0]!;
  const cols = table.dims[1]!;
  if (data.length !== rows * cols) return null;
  return {
    name: table.name,
    rows,
    cols,
    row(index) {
      if (!Number.isInteger(index) || index < 0 || index >= rows) throw new Error(`Row ${index} is outside the table (0…${rows - 1}).`);
      return data.slice(index * cols, (index + 1) * cols);
    },
  };
}
