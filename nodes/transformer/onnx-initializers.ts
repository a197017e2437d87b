/**
 * Read a weight matrix straight out of ONNX bytes, without an ONNX library: the protobuf wire
 * format is walked just far enough to find ModelProto.graph (field 7) → GraphProto.initializer
 * (field 5) → TensorProto { dims (1), data_type (2), float_data (4), name (8), raw_data (9) }.
 * Used for the token-embedding table, so the inspector can show the vector a token starts as.
 *
 *   const table = findEmbeddingTable(bytes, 50257);   // the [50257, 128] float matrix
 *   table?.row(1842)                                   // the 128 numbers of 'Ġlove'
 *
 * Not handled here: external data (weights kept outside the .onnx file), other element types
 * than float32 (quantized hub exports), writing or patching weights (nodes/finetune does that).
 */

export interface FloatMatrix {
  name: string;
  rows: number;
  cols: number;
  /** One row as float32 values (copied out of the file bytes). */
  row(index: number): Float32Array;
}

const FLOAT = 1;

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    // Values here (field keys, lengths, dims) fit in 2^53; read with multiplication, not bit ops.
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('Truncated ONNX file (varint runs past the end).');
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  }

  /** Skip a field's value of the given wire type; returns [start, end) for length-delimited ones. */
  skip(wireType: number): [number, number] | null {
    switch (wireType) {
      case 0:
        this.varint();
        return null;
      case 1:
        this.pos += 8;
        return null;
      case 2: {
        const length = this.varint();
        const start = this.pos;
        this.pos += length;
        if (this.pos > this.end) throw new Error('Truncated ONNX file (a field runs past the end).');
        return [start, this.pos];
      }
      case 5:
        this.pos += 4;
        return null;
      default:
        throw new Error(`Not an ONNX file (protobuf wire type ${wireType}).`);
    }
  }
}

/** Calls `visit(field, wireType, start, end)` for each field of the message in [start, end). */
function forEachField(bytes: Uint8Array, start: number, end: number, visit: (field: number, wireType: number, reader: Reader) => void) {
  const reader = new Reader(bytes, start, end);
  while (!reader.done) {
    const key = reader.varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    const before = reader.pos;
    visit(field, wireType, reader);
    // A visitor that did not consume the value leaves it to be skipped here.
    if (reader.pos === before) reader.skip(wireType);
  }
}

interface TensorInfo {
  name: string;
  dims: number[];
  dataType: number;
  /** Byte range of raw_data, or of packed float_data. */
  data: [number, number] | null;
}

function readTensor(bytes: Uint8Array, start: number, end: number): TensorInfo {
  const info: TensorInfo = { name: '', dims: [], dataType: 0, data: null };
  forEachField(bytes, start, end, (field, wireType, reader) => {
    if (field === 1 && wireType === 0) info.dims.push(reader.varint());
    else if (field === 1 && wireType === 2) {
      const [s, e] = reader.skip(2)!;
      const packed = new Reader(bytes, s, e);
      while (!packed.done) info.dims.push(packed.varint());
    } else if (field === 2 && wireType === 0) info.dataType = reader.varint();
    else if (field === 8 && wireType === 2) {
      const [s, e] = reader.skip(2)!;
      info.name = new TextDecoder().decode(bytes.subarray(s, e));
    } else if ((field === 9 || field === 4) && wireType === 2) info.data = reader.skip(2);
  });
  return info;
}

/** Every initializer of the model's graph: name, dims, element type and where its data is. */
export function listInitializers(bytes: Uint8Array): TensorInfo[] {
  const found: TensorInfo[] = [];
  forEachField(bytes, 0, bytes.length, (field, wireType, reader) => {
    if (field !== 7 || wireType !== 2) return;
    const [gs, ge] = reader.skip(2)!;
    forEachField(bytes, gs, ge, (gField, gWire, gReader) => {
      if (gField !== 5 || gWire !== 2) return;
      const [ts, te] = gReader.skip(2)!;
      found.push(readTensor(bytes, ts, te));
    });
  });
  return found;
}

/**
 * The token-embedding table: the float32 initializer of shape [vocabSize, width]. Matched by
 * shape rather than name, because exporters name it differently ('transformer.wte.weight',
 * 'model.embed_tokens.weight', 'onnx::Gather_…'). Null when there is none (quantized exports).
 */
export function findEmbeddingTable(bytes: Uint8Array, vocabSize: number): FloatMatrix | null {
  const tensor = listInitializers(bytes).find(
    (t) => t.dataType === FLOAT && t.dims.length === 2 && t.dims[0] === vocabSize && t.data !== null,
  );
  if (!tensor || !tensor.data) return null;
  const [start, end] = tensor.data;
  const rows = tensor.dims[0]!;
  const cols = tensor.dims[1]!;
  if (end - start !== rows * cols * 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, end - start);
  return {
    name: tensor.name,
    rows,
    cols,
    row(index) {
      if (!Number.isInteger(index) || index < 0 || index >= rows) throw new Error(`Row ${index} is outside the table (0…${rows - 1}).`);
      const out = new Float32Array(cols);
      // The bytes need not be 4-aligned inside the file, so read through a DataView (little-endian).
      for (let j = 0; j < cols; j++) out[j] = view.getFloat32((index * cols + j) * 4, true);
      return out;
    },
  };
}
