/**
 * The WordPiece and Unigram nodes' cells, the way BPE's are written (notebook-bpe-cells.ts): the
 * same training in Python with the library a learner meets next (HF `tokenizers`'
 * WordPieceTrainer; `sentencepiece`'s trainer for Unigram, the reference the lab's trainer
 * follows), then the lab's own files beside the notebook, which the rest of the notebook uses,
 * and a check that they give the lab's IDs.
 *
 *   writeWordPiece(c)  // cells: train with trainers.WordPieceTrainer(vocab_size=800, …);
 *                      // load wordpiece/<id>/tokenizer.json; assert the lab's IDs
 *
 * Python's training is compared, not asserted: WordPiece learns the same vocabulary as HF by
 * design (tests/unit/nodes/wordpiece/train-parity.test.ts), Unigram shares most pieces with
 * spm_train but not always all (float32 sums, see nodes/unigram/train-unigram.ts), so each
 * prints how close it came.
 *
 * Not handled here: running the cells; a text holding a special token's text (HF reads
 * '[CLS]' typed in the text as the special token, the lab as text).
 */
import { pyLiteral, pyStr } from './python';
import { nodeHeading, plural, viewFor, type CellContext } from './notebook-writer';
import type { CheckSample } from './sample';

/** The lab's files for a trained node, written beside the notebook under `<folder>/<node id>/`. */
function labFiles(c: CellContext, folder: string): { dir: string; data: NonNullable<CellContext['input']['trained']>[string] | undefined } {
  const { w, input, node } = c;
  const dir = `${folder}/${node.id}`;
  const data = input.trained && Object.hasOwn(input.trained, node.id) ? input.trained[node.id] : undefined;
  if (data) {
    for (const [name, content] of Object.entries(data.files)) {
      if (name.endsWith('.base64')) {
        const path = `${dir}/${name.slice(0, -'.base64'.length)}`;
        w.files.set(path, { path, base64: content });
      } else w.files.set(`${dir}/${name}`, { path: `${dir}/${name}`, text: content });
    }
  }
  return { dir, data };
}

/** The cells that load the lab's tokenizer.json and set `<v>_hf`, `<v>_tokenizer`, `<v>_ids`, `<v>_tokens`. */
function loadLab(v: string, file: string, text: string): string[] {
  return [
    `# The lab's own tokenizer, exported beside this notebook: the rest of the notebook uses it.`,
    `${v}_hf = Tokenizer.from_file(${pyStr(file)})`,
    `${v}_tokenizer = PreTrainedTokenizerFast(tokenizer_object=${v}_hf, clean_up_tokenization_spaces=False)`,
    `${v}_ids = ${v}_hf.encode(${text}, add_special_tokens=False).ids`,
    `${v}_tokens = {'text': ${text}, 'ids': ${v}_ids, 'pieces': ${v}_tokenizer.convert_ids_to_tokens(${v}_ids)}`,
    `print(len(${v}_ids), 'tokens:', ${v}_tokens['pieces'][:20])`,
  ];
}

export function writeWordPiece(c: CellContext) {
  const { w, input, node, v, params, tag, wired } = c;
  const view = viewFor(input, node, 'wordpiece');
  const text = wired(node.id, 'text') ?? "''";
  const corpus = wired(node.id, 'corpus') ?? text;
  const { dir, data } = labFiles(c, 'wordpiece');
  const specials = String(params.specialTokens ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unk = specials.includes('[UNK]') ? '[UNK]' : (specials[0] ?? '[UNK]');
  const prefix = String(params.prefix ?? '##');
  const lowercase = params.lowercase !== false;
  const strip = params.stripAccents === 'yes' ? 'True' : params.stripAccents === 'no' ? 'False' : 'None';
  w.markdown(
    nodeHeading(node, view ? `training made a vocabulary of ${plural(view.training.vocabSize, 'token')}, and the text became ${plural(view.tokenCount, 'token')}${view.unknownCount ? `, ${plural(view.unknownCount, 'unknown')}` : ''}.` : null) +
      `\n\nTrain the same WordPiece with \`tokenizers\`: its \`WordPieceTrainer\` is BPE training with the \`${prefix}\` prefix on every piece inside a word, then encoding takes the longest piece from the left.`,
    tag,
  );
  w.code(
    [
      `${v}_trained = Tokenizer(models.WordPiece(unk_token=${pyStr(unk)}, max_input_chars_per_word=${Number(params.maxInputCharsPerWord ?? 100)}))`,
      params.normalize === false
        ? `# no normaliser: the text is read as it is`
        : `${v}_trained.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=${strip}, lowercase=${lowercase ? 'True' : 'False'})`,
      `${v}_trained.pre_tokenizer = pre_tokenizers.BertPreTokenizer()`,
      `${v}_trained.decoder = decoders.WordPiece(prefix=${pyStr(prefix)})`,
      `${v}_trainer = trainers.WordPieceTrainer(vocab_size=${Number(params.vocabSize ?? 2000)}, min_frequency=${Number(params.minFrequency ?? 2)}, special_tokens=${pyLiteral(specials)},`,
      `    continuing_subword_prefix=${pyStr(prefix)}, show_progress=False)`,
      `${v}_trained.train_from_iterator([${corpus}], ${v}_trainer)`,
      `print('Python trained', ${v}_trained.get_vocab_size(), 'tokens')`,
      '',
      ...loadLab(v, `${dir}/tokenizer.json`, text),
    ].join('\n'),
    tag,
  );
  if (view && data) {
    w.code(
      [
        ...labIdChecks(v, view.training.vocabSize, data.check),
        `print("Python's training learned the same vocabulary as the lab:", ${v}_trained.get_vocab() == ${v}_hf.get_vocab())`,
        `print('Python agrees with the lab: ${plural(view.training.vocabSize, 'token')} and the same ${data.check.ids.length} IDs.')`,
      ].join('\n'),
      `${tag}-check`,
    );
  }
}

/** The lab's tokenizer.json loaded in Python gives the lab's vocabulary size and IDs. */
function labIdChecks(v: string, vocabSize: number, check: CheckSample): string[] {
  return [
    `expected_ids = ${pyLiteral(check.ids)}  # the lab's IDs for the first ${check.text.length.toLocaleString('en')} characters`,
    `assert ${v}_hf.get_vocab_size() == ${vocabSize}, 'the vocabulary size differs from the lab'`,
    `assert ${v}_hf.encode(${pyStr(check.text)}, add_special_tokens=False).ids == expected_ids, 'tokenizers gives other IDs than the lab'`,
  ];
}

export function writeUnigram(c: CellContext) {
  const { w, input, node, v, params, tag, wired } = c;
  const view = viewFor(input, node, 'unigram');
  const text = wired(node.id, 'text') ?? "''";
  const corpus = wired(node.id, 'corpus') ?? text;
  const { dir, data } = labFiles(c, 'unigram');
  const vocabSize = Number(params.vocabSize ?? 1000);
  w.markdown(
    nodeHeading(node, view ? `training pruned to ${plural(view.training.vocabSize, 'piece')}, and the text became ${plural(view.tokenCount, 'token')}.` : null) +
      '\n\nTrain the same Unigram with `sentencepiece` (`pip install sentencepiece`), the library the lab’s trainer follows: seed pieces from frequent substrings, EM, prune by loss. ' +
      'The settings are the lab’s: no normalisation rule, one thread, and no sentence cut for length.',
    tag,
  );
  w.code(
    [
      `import io`,
      `import sentencepiece as spm`,
      '',
      `${v}_model = io.BytesIO()`,
      `spm.SentencePieceTrainer.train(sentence_iterator=iter(${corpus}.split('\\n')), model_writer=${v}_model, model_type='unigram',`,
      `    vocab_size=${vocabSize}, character_coverage=${Number(params.characterCoverage ?? 0.9995)}, max_sentencepiece_length=${Number(params.maxPieceLength ?? 16)},`,
      `    byte_fallback=${params.byteFallback === true ? 'True' : 'False'}, shrinking_factor=${Number(params.shrinkingFactor ?? 0.75)}, num_threads=1,`,
      `    normalization_rule_name='identity', max_sentence_length=1 << 30, minloglevel=2)`,
      `${v}_trained = spm.SentencePieceProcessor(model_proto=${v}_model.getvalue())`,
      `print('sentencepiece trained', ${v}_trained.get_piece_size(), 'pieces')`,
      '',
      ...loadLab(v, `${dir}/tokenizer.json`, text),
    ].join('\n'),
    tag,
  );
  if (view && data) {
    w.code(
      [
        ...labIdChecks(v, view.training.vocabSize, data.check),
        `# The lab's SentencePiece model (spm_encode --model=${dir}/tokenizer.model reads it too).`,
        `${v}_lab_sp = spm.SentencePieceProcessor(model_file=${pyStr(`${dir}/tokenizer.model`)})`,
        `assert ${v}_lab_sp.get_piece_size() == ${view.training.vocabSize}`,
        `ours = {${v}_lab_sp.id_to_piece(i) for i in range(${v}_lab_sp.get_piece_size())}`,
        `theirs = {${v}_trained.id_to_piece(i) for i in range(${v}_trained.get_piece_size())}`,
        `print(f"sentencepiece's training shares {len(ours & theirs) / len(ours):.1%} of the lab's pieces")`,
        `print('Python agrees with the lab: ${plural(view.training.vocabSize, 'piece')} and the same ${data.check.ids.length} IDs.')`,
      ].join('\n'),
      `${tag}-check`,
    );
  }
}
