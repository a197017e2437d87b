/**
 * The BPE node's cells: the same training with HF `tokenizers` (or GPT-2's merges), the lab's
 * own tokenizer.json beside the notebook, the IDs checked, and a standard-library replay of the
 * merges (python.ts, stdlibCheckCell).
 */
import { pyLiteral, pyName, pyStr, stdlibCheckCell } from './python';
import { nodeHeading, plural, viewFor, type BpeNotebookData, type NotebookInput, type NotebookWriter } from './notebook-writer';
import type { GraphNode } from '../engine/graph-doc';
import { GPT2_MARKS_PATTERN } from '../pretokenize/pretokenize';

export function writeBpe(
  w: NotebookWriter,
  input: NotebookInput,
  node: GraphNode,
  params: Record<string, unknown>,
  wired: (nodeId: string, port: string) => string | undefined,
) {
  const v = pyName(node.id);
  const tag = `bpe-${node.id}`;
  const view = viewFor(input, node, 'bpe');
  const data = Object.hasOwn(input.bpe, node.id) ? input.bpe[node.id] : undefined;
  const pretokens = wired(node.id, 'pretokens') ?? "{'text': ''}";
  const corpus = wired(node.id, 'corpus') ?? `${pretokens}['text']`;
  const gpt2 = params.source === 'gpt2';
  const pattern = data?.pattern ?? 'gpt2';
  const answer = view
    ? gpt2
      ? `GPT-2’s ${plural(view.mergeCount, 'merge')} cut the text into ${plural(view.tokenCount, 'token')}${view.faithful ? (view.faithful.equal ? ', exactly as the official GPT-2 tokenizer does' : ', not quite as the official GPT-2 tokenizer does') : ''}.`
      : `training made ${plural(view.mergeCount, 'merge')} (a vocabulary of ${plural(view.vocabSize, 'token')}), and the text became ${plural(view.tokenCount, 'token')}.`
    : null;
  w.markdown(nodeHeading(node, answer), tag);

  let labFile: string;
  if (gpt2) {
    labFile = `${w.shippedTokenizer('gpt2')}/tokenizer.json`;
    w.code(
      [
        `# GPT-2's own merges; online: Tokenizer.from_pretrained('gpt2')`,
        `${v}_hf = Tokenizer.from_file(${pyStr(labFile)})`,
        `${v}_tokenizer = PreTrainedTokenizerFast(tokenizer_object=${v}_hf, clean_up_tokenization_spaces=False)`,
        `${v}_ids = ${v}_hf.encode(${pretokens}['text']).ids`,
        `${v}_tokens = {'text': ${pretokens}['text'], 'ids': ${v}_ids, 'pieces': ${v}_tokenizer.convert_ids_to_tokens(${v}_ids)}`,
        `print(len(${v}_ids), 'tokens:', ${v}_tokens['pieces'][:20])`,
      ].join('\n'),
      tag,
    );
  } else {
    const specials = String(params.specialTokens ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    labFile = `bpe/${node.id}/tokenizer.json`;
    if (data) {
      w.files.set(labFile, { path: labFile, text: data.files['tokenizer.json'] });
      w.files.set(`bpe/${node.id}/tokenizer_config.json`, { path: `bpe/${node.id}/tokenizer_config.json`, text: data.files['tokenizer_config.json'] });
    }
    const pre =
      pattern === 'gpt2'
        ? 'pre_tokenizers.ByteLevel(add_prefix_space=False)'
        : `pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(${pyStr(GPT2_MARKS_PATTERN.source)}), behavior='isolated'), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])`;
    w.markdown(
      'Train the same byte-level BPE with `tokenizers`: the same pre-tokenization, vocabulary size, minimum pair count and special tokens. ' +
        (pattern === 'gpt2' ? '(`ByteLevelBPETokenizer` is a shortcut for the same recipe.)' : 'The split keeps vowel signs and viramas inside words (the script-aware pattern).'),
      `${tag}-train`,
    );
    w.code(
      [
        `${v}_trained = Tokenizer(models.BPE())`,
        `${v}_trained.pre_tokenizer = ${pre}`,
        `${v}_trained.decoder = decoders.ByteLevel()`,
        `${v}_trainer = trainers.BpeTrainer(vocab_size=${Number(params.vocabSize ?? 1000)}, min_frequency=${Number(params.minFrequency ?? 2)}, special_tokens=${pyLiteral(specials)},`,
        `    initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)`,
        `${v}_trained.train_from_iterator([${corpus}], ${v}_trainer)`,
        `print('Python trained', ${v}_trained.get_vocab_size(), 'tokens')`,
        '',
        `# The lab's own tokenizer, exported beside this notebook: the rest of the notebook uses it.`,
        `${v}_hf = Tokenizer.from_file(${pyStr(labFile)})`,
        `${v}_tokenizer = PreTrainedTokenizerFast(tokenizer_object=${v}_hf, clean_up_tokenization_spaces=False)`,
        `${v}_ids = ${v}_hf.encode(${pretokens}['text']).ids`,
        `${v}_tokens = {'text': ${pretokens}['text'], 'ids': ${v}_ids, 'pieces': ${v}_tokenizer.convert_ids_to_tokens(${v}_ids)}`,
        `print(len(${v}_ids), 'tokens:', ${v}_tokens['pieces'][:20])`,
      ].join('\n'),
      tag,
    );
  }
  if (view && data) {
    w.code(
      [
        `expected_ids = ${pyLiteral(data.check.ids)}  # the lab's IDs for the first ${data.check.text.length.toLocaleString('en')} characters`,
        `expected_merges = ${view.mergeCount}`,
        `${v}_lab = json.load(open(${pyStr(labFile)}, encoding='utf-8'))`,
        `assert len(${v}_lab['model']['merges']) == expected_merges, 'the merge count differs from the lab'`,
        ...(specialsIn(data)
          ? [
              `# The text contains a special token's text: the lab's BPE node reads it as plain text, tokenizers as the special token.`,
              `print("tokenizers gives the lab's IDs:", ${v}_hf.encode(${pyStr(data.check.text)}).ids == expected_ids)`,
            ]
          : [`assert ${v}_hf.encode(${pyStr(data.check.text)}).ids == expected_ids, 'tokenizers gives other IDs than the lab'`]),
        ...(gpt2
          ? []
          : [
              `same = [tuple(m) if isinstance(m, list) else tuple(m.split(' ', 1)) for m in json.loads(${v}_trained.to_str())['model']['merges']] == [tuple(m) for m in ${v}_lab['model']['merges']]`,
              `print('Python\\'s training learned the same merges as the lab:', same)`,
            ]),
        `print('Python agrees with the lab: ${view.mergeCount} merges and the same ${data.check.ids.length} IDs.')`,
      ].join('\n'),
      `${tag}-check`,
    );
    const cell = stdlibCheckCell({
      tokenizerPath: labFile,
      text: data.check.text,
      expectedIds: data.check.ids,
      keepMarks: pattern === 'gpt2-marks',
      label: gpt2 ? "the lab's IDs with GPT-2's merges" : "the lab's IDs with its trained merges",
    });
    w.markdown('### Standard library only\n\nThe same check with nothing installed: read `tokenizer.json`, map bytes to characters as GPT-2 does, split the text with GPT-2’s pattern, apply the merges by rank, look the tokens up in the vocabulary.', `${tag}-stdlib`);
    w.code(cell, `${tag}-stdlib`);
    w.stdlibCells[node.id] = cell;
  }
}

/** Whether the checked text holds an added token's text (tokenizers and the lab read it differently). */
function specialsIn(data: BpeNotebookData): boolean {
  const added = (JSON.parse(data.files['tokenizer.json']) as { added_tokens?: { content: string }[] }).added_tokens ?? [];
  return added.some((t) => t.content !== '' && data.check.text.includes(t.content));
}
