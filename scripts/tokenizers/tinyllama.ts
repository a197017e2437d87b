/**
 * TinyLlama's (LLaMA-2's) tokenizer.json and tokenizer_config.json, from the data llama-tokenizer-js bakes into its .js file.
 *
 * Not handled here: writing the files and SOURCES.md (scripts/build-tokenizers.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_MODULES, addedToken, addedTokenDecoderEntry, packageInfo, type BuiltTokenizer, type Json } from './hub-json';

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

export function buildTinyLlama(): BuiltTokenizer {
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
