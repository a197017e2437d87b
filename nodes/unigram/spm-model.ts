/**
 * SentencePiece's `.model` file (a ModelProto protobuf): written so spm_encode and
 * transformers' SentencePiece loaders read a Unigram trained here, and read back for tests.
 *
 *   const bytes = toSpmModel(model);          // Uint8Array, spm_encode --model=… reads it
 *   fromSpmModel(bytes).pieces[3]             // { piece: '▁the', score: -2.79, kind: 'normal' }
 *
 * Only the fields a Unigram model needs are written: the pieces (piece, float32 score, type), a
 * trainer spec (model type, vocab size, byte fallback, special ids) and the identity normaliser
 * spec (add_dummy_prefix, remove_extra_whitespaces, escape_whitespaces), so encoding here and
 * with spm_encode agree. Hand-written: a protobuf library and a .proto would be more code than
 * these three messages.
 *
 * Not handled here: NFKC charsmaps (precompiled_charsmap), BPE models, self-test data.
 */
import type { UnigramModel, UnigramPiece } from './types';

const TYPE_OF: Record<UnigramPiece['kind'], number> = { normal: 1, unknown: 2, control: 3, byte: 6 };
const KIND_OF: Record<number, UnigramPiece['kind']> = { 1: 'normal', 2: 'unknown', 3: 'control', 6: 'byte', 4: 'control', 5: 'control' };

class Writer {
  private bytes: number[] = [];
  varint(value: number): this {
    let v = value < 0 ? BigInt.asUintN(64, BigInt(value)) : BigInt(value);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.bytes.push(byte);
    } while (v > 0n);
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  int(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }
  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(new Float32Array([value]).buffer);
    this.bytes.push(...b);
    return this;
  }
  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, 2).varint(value.length);
    for (const b of value) this.bytes.push(b);
    return this;
  }
  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export function toSpmModel(model: UnigramModel): Uint8Array {
  const out = new Writer();
  for (const p of model.pieces) {
    const piece = new Writer().string(1, p.piece).float(2, p.score);
    if (p.kind !== 'normal') piece.int(3, TYPE_OF[p.kind]);
    out.bytesField(1, piece.done());
  }
  const trainer = new Writer()
    .int(3, 1) // UNIGRAM
    .int(4, model.pieces.length)
    .int(35, model.byteFallback ? 1 : 0)
    .int(40, model.unkId)
    .int(41, model.bosId)
    .int(42, model.eosId)
    .int(43, -1);
  out.bytesField(2, trainer.done());
  const normalizer = new Writer()
    .string(1, 'identity')
    .int(3, model.addDummyPrefix ? 1 : 0)
    .int(4, 1)
    .int(5, 1);
  out.bytesField(3, normalizer.done());
  return out.done();
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  get done() {
    return this.pos >= this.b.length;
  }
  varint(): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.b[this.pos++];
      if (byte === undefined) throw new Error('This .model file is cut short.');
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, result));
  }
  field(): { field: number; wire: number } {
    const tag = this.varint();
    return { field: tag >>> 3, wire: tag & 7 };
  }
  chunk(): Uint8Array {
    const n = this.varint();
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  float(): number {
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.chunk();
    else if (wire === 5) this.pos += 4;
    else throw new Error('This is not a SentencePiece .model file.');
  }
}

/** Reads pieces, byte fallback and add_dummy_prefix from a .model file. */
export function fromSpmModel(bytes: Uint8Array): UnigramModel {
  const r = new Reader(bytes);
  const pieces: UnigramPiece[] = [];
  let byteFallback = false;
  let addDummyPrefix = true;
  const ids = { unk: 0, bos: 1, eos: 2 };
  while (!r.done) {
    const { field, wire } = r.field();
    if (field === 1 && wire === 2) {
      const m = new Reader(r.chunk());
      const p: UnigramPiece = { piece: '', score: 0, kind: 'normal' };
      while (!m.done) {
        const t = m.field();
        if (t.field === 1 && t.wire === 2) p.piece = new TextDecoder().decode(m.chunk());
        else if (t.field === 2 && t.wire === 5) p.score = m.float();
        else if (t.field === 3 && t.wire === 0) p.kind = KIND_OF[m.varint()] ?? 'control';
        else m.skip(t.wire);
      }
      pieces.push(p);
    } else if ((field === 2 || field === 3) && wire === 2) {
      const m = new Reader(r.chunk());
      while (!m.done) {
        const t = m.field();
        if (t.wire !== 0) m.skip(t.wire);
        else {
          const v = m.varint();
          if (field === 2 && t.field === 35) byteFallback = v !== 0;
          if (field === 2 && t.field === 40) ids.unk = v;
          if (field === 2 && t.field === 41) ids.bos = v;
          if (field === 2 && t.field === 42) ids.eos = v;
          if (field === 3 && t.field === 3) addDummyPrefix = v !== 0;
        }
      }
    } else r.skip(wire);
  }
  return { pieces, unkId: ids.unk, bosId: ids.bos, eosId: ids.eos, byteFallback, addDummyPrefix };
}
