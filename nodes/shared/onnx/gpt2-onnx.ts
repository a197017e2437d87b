/**
 * Write a GPT-2 (the architecture of nodes/finetune/gpt2.ts) as an ONNX file in the layout the
 * Transformer and Generate nodes load, the one transformers.js expects of a causal LM with a KV
 * cache (the layout of the shipped tokenloom-tiny):
 *
 *   inputs   input_ids, position_ids [batch_size, sequence_length] int64
 *            attention_mask [batch_size, total_sequence_length] int64
 *            past_key_values.{i}.key / .value [batch_size, heads, past_sequence_length, head size]
 *   outputs  logits [batch_size, sequence_length, vocab]
 *            present.{i}.key / .value [batch_size, heads, total_sequence_length, head size]
 *            attentions.{i} [batch_size, heads, sequence_length, total_sequence_length]
 *
 * Weights are initializers under Hugging Face's GPT2LMHeadModel names (transformer.wte.weight, …),
 * stored as raw float32, so the Fine-tune node reads and replaces them as it does the shipped
 * model's; the output layer is the embedding transposed (tied), stored once. Opset 17
 * (LayerNormalization), IR 8.
 *
 *   const bytes = gpt2Onnx(config, weights);   // weights: name → { dims, data }, as Gpt2.values() gives
 *   await ort.InferenceSession.create(bytes)   // logits equal the tfjs model's within ~1e-6
 *
 * Not handled here: dropout, other activations than gelu_new, quantization, external data
 * (a file over 2 GB), and the tokenizer and config files that travel beside it (hf-files.ts).
 */
import { bytesField, floatField, message, packedInts, stringField, varintField } from './protobuf-writer';

export interface Gpt2OnnxConfig {
  nLayer: number;
  nHead: number;
  nEmbd: number;
  nPositions: number;
  vocabSize: number;
  layerNormEps: number;
}

export interface WeightValue {
  dims: readonly number[];
  data: Float32Array;
}

const FLOAT = 1;
const INT64 = 7;
const BOOL = 9;

type Attribute = { name: string } & ({ i: number } | { ints: readonly number[] } | { f: number });

function attribute(a: Attribute): Uint8Array {
  if ('i' in a) return message(stringField(1, a.name), varintField(3, a.i), varintField(20, 2));
  if ('f' in a) return message(stringField(1, a.name), floatField(2, a.f), varintField(20, 1));
  return message(stringField(1, a.name), packedInts(8, a.ints), varintField(20, 7));
}

function tensor(name: string, dims: readonly number[], dataType: number, raw: Uint8Array): Uint8Array {
  return message(packedInts(1, dims), varintField(2, dataType), stringField(8, name), bytesField(9, raw));
}

function valueInfo(name: string, elemType: number, shape: readonly (number | string)[]): Uint8Array {
  const dims = shape.map((d) => bytesField(1, typeof d === 'number' ? varintField(1, d) : stringField(2, d)));
  const tensorType = message(varintField(1, elemType), bytesField(2, message(...dims)));
  return message(stringField(1, name), bytesField(2, bytesField(1, tensorType)));
}

const rawFloats = (data: Float32Array) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
const rawInts = (values: readonly number[]) => new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);

/** Builds the node list; each call returns the name of the op's (first) output. */
class GraphBuilder {
  readonly nodes: Uint8Array[] = [];
  readonly constants: Uint8Array[] = [];
  private count = 0;

  op(type: string, inputs: readonly string[], attributes: readonly Attribute[] = [], outputs?: readonly string[]): string {
    const outs = outputs ?? [`${type.toLowerCase()}_${this.count}`];
    this.nodes.push(
      message(
        ...inputs.map((i) => stringField(1, i)),
        ...outs.map((o) => stringField(2, o)),
        stringField(3, `${type}_${this.count++}`),
        stringField(4, type),
        ...attributes.map((a) => bytesField(5, attribute(a))),
      ),
    );
    return outs[0]!;
  }

  ints(name: string, values: readonly number[], scalar = false): string {
    this.constants.push(tensor(name, scalar ? [] : [values.length], INT64, rawInts(values)));
    return name;
  }

  float(name: string, value: number): string {
    this.constants.push(tensor(name, [], FLOAT, rawFloats(Float32Array.of(value))));
    return name;
  }
}

/** The weight names, in the order Gpt2.values() and the Fine-tune node use. */
function layerWeights(i: number): string[] {
  const p = `transformer.h.${i}.`;
  return ['ln_1', 'attn.c_attn', 'attn.c_proj', 'ln_2', 'mlp.c_fc', 'mlp.c_proj'].flatMap((n) => [`${p}${n}.weight`, `${p}${n}.bias`]);
}

export function gpt2Onnx(config: Gpt2OnnxConfig, weights: ReadonlyMap<string, WeightValue>): Uint8Array {
  const { nLayer, nHead: h, nEmbd: c, vocabSize } = config;
  if (c % h !== 0) throw new Error(`The width (${c}) must divide into ${h} heads.`);
  const hd = c / h;
  const g = new GraphBuilder();
  const names = ['transformer.wte.weight', 'transformer.wpe.weight', ...Array.from({ length: nLayer }, (_, i) => layerWeights(i)).flat(), 'transformer.ln_f.weight', 'transformer.ln_f.bias'];
  const initializers = names.map((name) => {
    const w = weights.get(name);
    if (!w) throw new Error(`No weight '${name}' to export.`);
    return tensor(name, w.dims, FLOAT, rawFloats(w.data));
  });

  const zero = g.ints('const.zero', [0], true);
  const one = g.ints('const.one', [1], true);
  const axis0 = g.ints('const.axis0', [0]);
  const headShape = g.ints('const.head_shape', [0, 0, h, hd]);
  const mergedShape = g.ints('const.merged_shape', [0, 0, c]);
  const thirds = g.ints('const.qkv_split', [c, c, c]);
  const scale = g.float('const.scale', 1 / Math.sqrt(hd));
  const masked = g.float('const.masked', -1e9);
  const half = g.float('const.half', 0.5);
  const oneF = g.float('const.one_f', 1);
  const geluA = g.float('const.gelu_a', Math.sqrt(2 / Math.PI));
  const geluB = g.float('const.gelu_b', 0.044715);

  // Which keys each query may see: itself and earlier positions (past ones included), and no
  // padding. [batch, 1, seq, total] booleans, shared by every layer.
  const seq = g.op('Squeeze', [g.op('Shape', ['input_ids'], [{ name: 'start', i: 1 }, { name: 'end', i: 2 }]), axis0]);
  const total = g.op('Squeeze', [g.op('Shape', ['attention_mask'], [{ name: 'start', i: 1 }, { name: 'end', i: 2 }]), axis0]);
  const rows = g.op('Range', [g.op('Sub', [total, seq]), total, one]);
  const cols = g.op('Range', [zero, total, one]);
  const causal = g.op('LessOrEqual', [g.op('Unsqueeze', [cols, axis0]), g.op('Unsqueeze', [rows, g.ints('const.axis1', [1])])]);
  const notPadding = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], [{ name: 'to', i: BOOL }]), g.ints('const.axes12', [1, 2])]);
  const allowed = g.op('And', [causal, notPadding]);

  const layerNorm = (x: string, prefix: string) =>
    g.op('LayerNormalization', [x, `${prefix}.weight`, `${prefix}.bias`], [{ name: 'axis', i: 2 }, { name: 'epsilon', f: config.layerNormEps }]);
  const linear = (x: string, prefix: string) => g.op('Add', [g.op('MatMul', [x, `${prefix}.weight`]), `${prefix}.bias`]);
  const heads = (x: string) => g.op('Transpose', [g.op('Reshape', [x, headShape])], [{ name: 'perm', ints: [0, 2, 1, 3] }]);

  let x = g.op('Add', [g.op('Gather', ['transformer.wte.weight', 'input_ids']), g.op('Gather', ['transformer.wpe.weight', 'position_ids'])]);
  for (let i = 0; i < nLayer; i++) {
    const p = `transformer.h.${i}`;
    const qkv = linear(layerNorm(x, `${p}.ln_1`), `${p}.attn.c_attn`);
    const [q, k, v] = [`split_${i}_q`, `split_${i}_k`, `split_${i}_v`];
    g.op('Split', [qkv, thirds], [{ name: 'axis', i: 2 }], [q, k, v]);
    const key = g.op('Concat', [`past_key_values.${i}.key`, heads(k)], [{ name: 'axis', i: 2 }], [`present.${i}.key`]);
    const value = g.op('Concat', [`past_key_values.${i}.value`, heads(v)], [{ name: 'axis', i: 2 }], [`present.${i}.value`]);
    const scores = g.op('Mul', [g.op('MatMul', [heads(q), g.op('Transpose', [key], [{ name: 'perm', ints: [0, 1, 3, 2] }])]), scale]);
    const probs = g.op('Softmax', [g.op('Where', [allowed, scores, masked])], [{ name: 'axis', i: 3 }], [`attentions.${i}`]);
    const attended = g.op('Transpose', [g.op('MatMul', [probs, value])], [{ name: 'perm', ints: [0, 2, 1, 3] }]);
    x = g.op('Add', [x, linear(g.op('Reshape', [attended, mergedShape]), `${p}.attn.c_proj`)]);
    // gelu_new, in the order gpt2.ts computes it: 0.5·f·(1 + tanh(√(2/π)·(f + 0.044715·f³)))
    const f = linear(layerNorm(x, `${p}.ln_2`), `${p}.mlp.c_fc`);
    const inner = g.op('Mul', [geluA, g.op('Add', [f, g.op('Mul', [geluB, g.op('Mul', [f, g.op('Mul', [f, f])])])])]);
    const gelu = g.op('Mul', [g.op('Mul', [half, f]), g.op('Add', [oneF, g.op('Tanh', [inner])])]);
    x = g.op('Add', [x, linear(gelu, `${p}.mlp.c_proj`)]);
  }
  const head = g.op('Transpose', ['transformer.wte.weight'], [{ name: 'perm', ints: [1, 0] }]);
  g.op('MatMul', [layerNorm(x, 'transformer.ln_f'), head], [], ['logits']);

  const past = (i: number, kind: string) => valueInfo(`past_key_values.${i}.${kind}`, FLOAT, ['batch_size', h, 'past_sequence_length', hd]);
  const present = (i: number, kind: string) => valueInfo(`present.${i}.${kind}`, FLOAT, ['batch_size', h, 'total_sequence_length', hd]);
  const layers = Array.from({ length: nLayer }, (_, i) => i);
  const inputs = [
    valueInfo('input_ids', INT64, ['batch_size', 'sequence_length']),
    valueInfo('attention_mask', INT64, ['batch_size', 'total_sequence_length']),
    valueInfo('position_ids', INT64, ['batch_size', 'sequence_length']),
    ...layers.flatMap((i) => [past(i, 'key'), past(i, 'value')]),
  ];
  const outputs = [
    valueInfo('logits', FLOAT, ['batch_size', 'sequence_length', vocabSize]),
    ...layers.flatMap((i) => [present(i, 'key'), present(i, 'value')]),
    ...layers.map((i) => valueInfo(`attentions.${i}`, FLOAT, ['batch_size', h, 'sequence_length', 'total_sequence_length'])),
  ];
  const graph = message(
    ...g.nodes.map((n) => bytesField(1, n)),
    stringField(2, 'gpt2'),
    ...[...initializers, ...g.constants].map((t) => bytesField(5, t)),
    ...inputs.map((i) => bytesField(11, i)),
    ...outputs.map((o) => bytesField(12, o)),
  );
  return message(
    varintField(1, 8),
    stringField(2, 'tokenloom'),
    bytesField(7, graph),
    bytesField(8, message(stringField(1, ''), varintField(2, 17))),
  );
}
