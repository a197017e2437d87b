/**
 * Describe a loaded tokenizer for the teaching inspector, from its tokenizer.json and config:
 * what kind of model it is (byte-level BPE, WordPiece, BPE with byte fallback …), what the
 * normalizer and pre-tokenizer do, which special tokens exist and which are added to every input.
 *
 *   describeTokenizer(gpt2).modelKind         // 'byte-level BPE'
 *   describeTokenizer(bert).normalizer.summary // 'clean control characters and whitespace, put spaces around CJK characters, lowercase, strip accents'
 *   describeTokenizer(llama).template          // '<s> $A'
 *
 * Pure: reads JSON only, imports nothing from transformers.js, so it also works on a
 * tokenizer.json read from a file. Not handled here: the vocabulary itself (too large to ship
 * to the canvas; page it elsewhere) and pair templates.
 */
import type { JsonConfig } from './normalize-with-origins';
import type { TokenizerJsonLike } from './replay-text';

export type ModelKind = 'byte-level BPE' | 'BPE with byte fallback' | 'BPE' | 'WordPiece' | 'Unigram' | 'WordLevel' | 'unknown';

export interface SpecialTokenInfo {
  content: string;
  id: number;
  /** The roles tokenizer_config.json gives it: 'bos', 'eos', 'unk', 'pad', 'cls', 'sep', 'mask'. */
  roles: string[];
}

export interface StageDescription {
  /** tokenizer.json type names, in order: ['BertNormalizer'] or ['Prepend', 'Replace']. */
  steps: string[];
  /** One plain-English line; 'none' when the stage is absent. */
  summary: string;
}

export interface TokenizerDescription {
  modelType: string;
  modelKind: ModelKind;
  /** One sentence a beginner can read. */
  modelSummary: string;
  byteFallback: boolean;
  /** '##' for WordPiece continuations; null when pieces carry no such prefix. */
  continuingSubwordPrefix: string | null;
  unkToken: string | null;
  vocabSize: number;
  mergeCount: number | null;
  normalizer: StageDescription;
  preTokenizer: StageDescription;
  decoder: StageDescription;
  /** The single-sequence template, e.g. '[CLS] $A [SEP]'; '$A' when nothing is added. */
  template: string;
  specialTokens: SpecialTokenInfo[];
  tokenizerClass: string | null;
  modelMaxLength: number | null;
}

type FullTokenizerJson = TokenizerJsonLike & {
  decoder?: JsonConfig | null;
  post_processor?: JsonConfig | null;
};

function children(config: JsonConfig): JsonConfig[] {
  const list = [config.normalizers, config.pretokenizers, config.decoders, config.processors].find(Array.isArray);
  return (list as JsonConfig[] | undefined) ?? [];
}

function flatten(config: JsonConfig | null | undefined): JsonConfig[] {
  if (!config) return [];
  return config.type === 'Sequence' ? children(config).flatMap(flatten) : [config];
}

function quote(value: unknown): string {
  const pattern = value as { String?: string; Regex?: string } | undefined;
  const text = pattern?.String ?? pattern?.Regex ?? String(value);
  return `'${text.replace(/\n/g, '\\n')}'`;
}

function describeNormalizerStep(step: JsonConfig): string {
  switch (step.type) {
    case 'BertNormalizer': {
      const parts: string[] = [];
      if (step.clean_text) parts.push('clean control characters and whitespace');
      if (step.handle_chinese_chars) parts.push('put spaces around CJK characters');
      if (step.lowercase) parts.push('lowercase');
      if (step.strip_accents === true || (step.strip_accents == null && step.lowercase)) parts.push('strip accents');
      return parts.join(', ');
    }
    case 'Lowercase':
      return 'lowercase';
    case 'StripAccents':
      return 'strip accents';
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return `Unicode ${step.type}`;
    case 'Prepend':
      return `prepend ${quote(step.prepend)}`;
    case 'Replace':
      return `replace ${quote(step.pattern)} with ${quote(step.content)}`;
    case 'Strip':
      return 'strip surrounding whitespace';
    case 'Precompiled':
      return 'SentencePiece character map (NFKC-like)';
    default:
      return String(step.type);
  }
}

function describePreTokenizerStep(step: JsonConfig): string {
  switch (step.type) {
    case 'ByteLevel':
      return `split with the GPT-2 regex${step.use_regex === false ? ' (off)' : ''} and spell every byte as a printable character (space -> 'Ġ')${step.add_prefix_space ? ', adding a leading space' : ''}`;
    case 'BertPreTokenizer':
      return 'split on whitespace and punctuation (whitespace is dropped)';
    case 'Whitespace':
      return 'split into words and punctuation runs (whitespace is dropped)';
    case 'WhitespaceSplit':
      return 'split on whitespace';
    case 'Metaspace':
      return `replace spaces with ${quote(step.replacement ?? '▁')} and mark word starts`;
    case 'Digits':
      return step.individual_digits ? 'split every digit apart' : 'split runs of digits';
    case 'Punctuation':
      return 'split off punctuation';
    case 'Split':
      return `split on ${quote(step.pattern)}`;
    default:
      return String(step.type);
  }
}

function describeDecoderStep(step: JsonConfig): string {
  switch (step.type) {
    case 'ByteLevel':
      return 'map byte characters back to bytes, then UTF-8 decode';
    case 'WordPiece':
      return `glue '${String(step.prefix ?? '##')}' pieces onto the previous word`;
    case 'ByteFallback':
      return "turn '<0x..>' tokens back into bytes";
    case 'Fuse':
      return 'join all pieces';
    case 'Replace':
      return `replace ${quote(step.pattern)} with ${quote(step.content)}`;
    case 'Strip':
      return 'drop the leading space';
    case 'Metaspace':
      return `turn ${quote(step.replacement ?? '▁')} back into spaces`;
    default:
      return String(step.type);
  }
}

function stage(config: JsonConfig | null | undefined, describeStep: (step: JsonConfig) => string): StageDescription {
  const steps = flatten(config);
  return {
    steps: steps.map((s) => String(s.type)),
    summary: steps.length === 0 ? 'none' : steps.map(describeStep).join('; '),
  };
}

/** '[CLS] $A [SEP]' from a TemplateProcessing / BertProcessing / RobertaProcessing post-processor. */
function singleTemplate(postProcessor: JsonConfig | null | undefined): string {
  for (const step of flatten(postProcessor)) {
    if (step.type === 'TemplateProcessing' && Array.isArray(step.single)) {
      return (step.single as Array<{ SpecialToken?: { id: string }; Sequence?: { id: string } }>)
        .map((part) => (part.SpecialToken ? part.SpecialToken.id : `$${part.Sequence?.id ?? 'A'}`))
        .join(' ');
    }
    if (step.type === 'BertProcessing' || step.type === 'RobertaProcessing') {
      const cls = (step.cls as [string, number] | undefined)?.[0] ?? '[CLS]';
      const sep = (step.sep as [string, number] | undefined)?.[0] ?? '[SEP]';
      return `${cls} $A ${sep}`;
    }
  }
  return '$A';
}

/**
 * A template in words, for the inspector:
 *   templateInWords('[CLS] $A [SEP]')  // 'adds [CLS] before the text and [SEP] after it'
 *   templateInWords('<s> $A')          // 'adds <s> before the text'
 *   templateInWords('$A')              // 'adds nothing: the tokens are the text’s alone'
 */
export function templateInWords(template: string): string {
  const parts = template.split(' ').filter(Boolean);
  const at = parts.indexOf('$A');
  if (at < 0) return `uses the template ${template}`;
  const before = parts.slice(0, at).filter((p) => !p.startsWith('$'));
  const after = parts.slice(at + 1).filter((p) => !p.startsWith('$'));
  if (before.length === 0 && after.length === 0) return 'adds nothing: the tokens are the text’s alone';
  if (after.length === 0) return `adds ${before.join(' ')} before the text`;
  if (before.length === 0) return `adds ${after.join(' ')} after the text`;
  return `adds ${before.join(' ')} before the text and ${after.join(' ')} after it`;
}

const ROLE_KEYS = ['bos', 'eos', 'unk', 'pad', 'cls', 'sep', 'mask'] as const;

function configTokenContent(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return null;
}

function modelKindOf(json: FullTokenizerJson): ModelKind {
  const model = json.model ?? {};
  const type = String(model.type ?? (model.merges ? 'BPE' : 'unknown'));
  const byteLevel = flatten(json.pre_tokenizer).some((s) => s.type === 'ByteLevel') || flatten(json.decoder).some((s) => s.type === 'ByteLevel');
  if (type === 'BPE') return byteLevel ? 'byte-level BPE' : model.byte_fallback === true ? 'BPE with byte fallback' : 'BPE';
  if (type === 'WordPiece' || type === 'Unigram' || type === 'WordLevel') return type;
  return 'unknown';
}

const MODEL_SUMMARIES: Record<ModelKind, string> = {
  'byte-level BPE':
    'Byte-level BPE: text becomes UTF-8 bytes, each byte has a token, and learned merges join frequent byte pairs, so no text is ever unknown.',
  'BPE with byte fallback':
    "BPE over characters with byte fallback: learned merges join characters; a character missing from the vocabulary is spelled as its UTF-8 bytes ('<0xE0>').",
  BPE: 'BPE over characters: learned merges join frequent pairs; characters outside the vocabulary become the unknown token.',
  WordPiece:
    "WordPiece: each word is cut greedily into the longest vocabulary pieces, continuations marked '##'; a word that cannot be cut becomes the unknown token.",
  Unigram: 'Unigram: the most probable split of each word under a learned piece-probability model.',
  WordLevel: 'Word level: one token per whole word; unseen words become the unknown token.',
  unknown: 'A tokenizer model this inspector does not know.',
};

export function describeTokenizer(tokenizerJson: FullTokenizerJson, tokenizerConfig: Record<string, unknown>): TokenizerDescription {
  const model = tokenizerJson.model ?? {};
  const modelKind = modelKindOf(tokenizerJson);
  const vocab = model.vocab;
  const addedTokens = tokenizerJson.added_tokens ?? [];
  const baseVocabSize = Array.isArray(vocab) ? vocab.length : vocab && typeof vocab === 'object' ? Object.keys(vocab).length : 0;
  const vocabIds = new Set<number>(Array.isArray(vocab) ? [] : Object.values((vocab ?? {}) as Record<string, number>));
  const extraAdded = addedTokens.filter((t) => !vocabIds.has(t.id)).length;
  const rolesByContent = new Map<string, string[]>();
  for (const role of ROLE_KEYS) {
    const content = configTokenContent(tokenizerConfig[`${role}_token`]);
    if (content !== null) rolesByContent.set(content, [...(rolesByContent.get(content) ?? []), role]);
  }
  const prefix = model.continuing_subword_prefix;
  const maxLength = tokenizerConfig.model_max_length;
  return {
    modelType: String(model.type ?? 'BPE'),
    modelKind,
    modelSummary: MODEL_SUMMARIES[modelKind],
    byteFallback: model.byte_fallback === true,
    continuingSubwordPrefix: typeof prefix === 'string' && prefix.length > 0 ? prefix : null,
    unkToken: typeof model.unk_token === 'string' ? model.unk_token : null,
    vocabSize: baseVocabSize + extraAdded,
    mergeCount: Array.isArray(model.merges) ? model.merges.length : null,
    normalizer: stage(tokenizerJson.normalizer, describeNormalizerStep),
    preTokenizer: stage(tokenizerJson.pre_tokenizer, describePreTokenizerStep),
    decoder: stage(tokenizerJson.decoder, describeDecoderStep),
    template: singleTemplate(tokenizerJson.post_processor),
    specialTokens: addedTokens
      .filter((t) => t.special)
      .map((t) => ({ content: t.content, id: t.id, roles: rolesByContent.get(t.content) ?? [] })),
    tokenizerClass: typeof tokenizerConfig.tokenizer_class === 'string' ? tokenizerConfig.tokenizer_class : null,
    modelMaxLength: typeof maxLength === 'number' && maxLength < 1e12 ? maxLength : null,
  };
}
