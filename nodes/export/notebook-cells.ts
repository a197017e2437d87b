/**
 * The cells each node kind gets in the notebook: its heading (question and the lab's answer),
 * its Python, and a check of the lab's values. Models and BPE have files of their own
 * (notebook-model-cells.ts, notebook-bpe-cells.ts).
 */
import type { NodeType } from '../index';
import { GPT2_PATTERN } from '../pretokenize/pretokenize';
import { isShippedTokenizer, SHIPPED_TOKENIZER_LABELS } from '../pretrained/shipped';
import { pyLiteral, pyStr } from './python';
import { HUB_IDS, modelExpr, nodeHeading, plural, PYTHON_PATTERNS, viewFor, type CellContext } from './notebook-writer';
import { writeFinetune, writeGenerate, writeTransformer } from './notebook-model-cells';
import { writeBpe } from './notebook-bpe-cells';
import { writeUnigram, writeWordPiece } from './notebook-subword-cells';
import { CORPORA, HELD_OUT_EVERY, type CorpusName } from '../text/odia-corpus';

const isCorpusName = (name: string): name is CorpusName => Object.hasOwn(CORPORA, name);

/** A Text node holding a shipped corpus by name: the notebook reads the corpus file and splits it as the lab does. */
function corpusPython(v: string, name: CorpusName, file: string): string {
  const heldOut = CORPORA[name].part === 'heldOut';
  return [
    `# ${CORPORA[name].title}: line i of the corpus is held out when i % ${HELD_OUT_EVERY} == ${HELD_OUT_EVERY - 1}.`,
    `with open(${pyStr(file)}, encoding='utf-8', newline='') as f:`,
    `    ${v}_lines = f.read().split('\\n')`,
    `${v}_text = '\\n'.join(line for i, line in enumerate(${v}_lines) if i % ${HELD_OUT_EVERY} ${heldOut ? '==' : '!='} ${HELD_OUT_EVERY - 1})`,
  ].join('\n');
}

export function writeNodeCells(c: CellContext) {
  const { w, input, node, v, params, tag, wired, modelTokenizer } = c;
  switch (node.type as NodeType) {
    case 'text': {
      const view = viewFor(input, node, 'text');
      const text = String(params.text ?? '');
      const corpus = typeof params.corpus === 'string' && isCorpusName(params.corpus) ? params.corpus : null;
      w.markdown(nodeHeading(node, view ? `${plural(view.codePoints, 'code point')}, ${plural(view.utf8Bytes, 'UTF-8 byte')}.` : null), tag);
      w.code(
        `${corpus ? corpusPython(v, corpus, w.shippedCorpus()) : `${v}_text = ${pyStr(text)}`}\n\nprint(len(${v}_text), 'code points,', len(${v}_text.encode('utf-8', 'surrogatepass')), 'UTF-8 bytes')`,
        tag,
      );
      if (view) {
        w.code(`assert len(${v}_text) == ${view.codePoints}, 'the lab counted ${view.codePoints} code points'\nprint('Python agrees with the lab: ${view.codePoints} code points.')`, `${tag}-check`);
      }
      break;
    }
    case 'clean': {
      const view = viewFor(input, node, 'clean');
      const src = wired(node.id, 'text') ?? "''";
      const steps: string[] = [];
      const form = String(params.form ?? 'NFC');
      if (form !== 'none') steps.push(`normalizers.${form}()`);
      if (params.stripAccents) steps.push('normalizers.NFD()', 'normalizers.StripAccents()', ...(form === 'NFC' || form === 'NFKC' ? [`normalizers.${form}()`] : []));
      if (params.lowercase) steps.push('normalizers.Lowercase()');
      if (params.collapseWhitespace) steps.push(`normalizers.Replace(Regex(${pyStr('[^\\S\\n]+')}), ' ')`, `normalizers.Replace(Regex(${pyStr('\\n{3,}')}), '\\n\\n')`, 'normalizers.Strip()');
      if (typeof params.replacePattern === 'string' && params.replacePattern !== '') {
        steps.push(`normalizers.Replace(Regex(${pyStr(params.replacePattern)}), ${pyStr(String(params.replaceWith ?? ''))})`);
      }
      const last = view?.steps.at(-1);
      const answer = view ? (view.steps.some((s) => s.changed) ? `changed by ${view.steps.filter((s) => s.changed).map((s) => s.name.toLowerCase()).join(', ')}.` : 'the text was already clean: nothing changed.') : null;
      w.markdown(nodeHeading(node, answer) + '\n\nHugging Face calls this step the *normalizer*. Removing control characters has no normalizer of its own, so plain Python does it first.', tag);
      w.code(
        [
          `${v}_normalizer = normalizers.Sequence([${steps.join(', ')}])`,
          `${v}_text = ${src}`,
          ...(params.replaceInvalid ? [`${v}_text = ${v}_text.encode('utf-16', 'surrogatepass').decode('utf-16', 'replace')  # lone surrogates become U+FFFD`] : []),
          ...(params.stripControl
            ? [`${v}_text = ''.join(c for c in ${v}_text if unicodedata.category(c) not in ('Cc', 'Cf') or c in '\\t\\n\\r\\u200c\\u200d')`]
            : []),
          `${v}_text = ${v}_normalizer.normalize_str(${v}_text)`,
          `print(${v}_text[:300])`,
        ].join('\n'),
        tag,
      );
      if (last) {
        w.code(`assert len(${v}_text) == ${last.codePoints}, f'the lab kept ${last.codePoints} code points, Python {len(${v}_text)}'\nprint('Python agrees with the lab: ${last.codePoints} code points after cleaning.')`, `${tag}-check`);
      }
      break;
    }
    case 'pretokenize': {
      const view = viewFor(input, node, 'pretokenize');
      const src = wired(node.id, 'text') ?? "''";
      const mode = String(params.mode ?? 'bytelevel');
      const pre =
        mode === 'whitespace'
          ? 'pre_tokenizers.WhitespaceSplit()'
          : mode === 'bert'
            ? 'pre_tokenizers.BertPreTokenizer()'
            : mode === 'metaspace'
              ? "pre_tokenizers.Metaspace(replacement='\\u2581')"
              : mode === 'bytelevel'
                ? 'pre_tokenizers.ByteLevel(add_prefix_space=False)'
                : `pre_tokenizers.Split(Regex(${pyStr(PYTHON_PATTERNS[mode as keyof typeof PYTHON_PATTERNS] ?? GPT2_PATTERN.source)}), behavior='isolated')`;
      w.markdown(nodeHeading(node, view ? `${plural(view.count, 'piece')} (${plural(view.distinct, 'distinct piece')}).` : null), tag);
      w.code(
        [
          `${v}_pre_tokenizer = ${pre}`,
          `${v}_pretokens = {'text': ${src}, 'pieces': [piece for piece, _offsets in ${v}_pre_tokenizer.pre_tokenize_str(${src})]}`,
          `print(len(${v}_pretokens['pieces']), 'pieces:', ${v}_pretokens['pieces'][:20])`,
        ].join('\n'),
        tag,
      );
      // Metaspace's prefix rules differ between versions; the others are the lab's splits exactly.
      if (view && mode !== 'metaspace') {
        w.code(`assert len(${v}_pretokens['pieces']) == ${view.count}, f"the lab made ${view.count} pieces, Python {len(${v}_pretokens['pieces'])}"\nprint('Python agrees with the lab: ${view.count} pieces.')`, `${tag}-check`);
      }
      break;
    }
    case 'bpe':
      writeBpe(w, input, node, params, wired);
      break;
    case 'wordpiece':
      writeWordPiece(c);
      break;
    case 'unigram':
      writeUnigram(c);
      break;
    case 'pretrained': {
      const view = viewFor(input, node, 'pretrained');
      const src = wired(node.id, 'text') ?? "''";
      const name = params.model === 'hub' ? String(params.hubId ?? '').trim() : String(params.model ?? 'gpt2');
      const from = isShippedTokenizer(name) ? `${pyStr(w.shippedTokenizer(name))})  # online: AutoTokenizer.from_pretrained(${pyStr(HUB_IDS[name])}` : pyStr(name);
      const add = params.addSpecialTokens === false ? 'False' : 'True';
      w.markdown(nodeHeading(node, view ? `${view.label} cut the text into ${plural(view.count, 'token')}; IDs ${view.pieces.slice(0, 12).map((p) => p.id).join(' ')}${view.count > 12 ? ' …' : ''}.` : null), tag);
      w.code(
        [
          `${v}_tokenizer = AutoTokenizer.from_pretrained(${from})`,
          `${v}_ids = ${v}_tokenizer(${src}, add_special_tokens=${add})['input_ids']`,
          `${v}_tokens = {'text': ${src}, 'ids': ${v}_ids, 'pieces': ${v}_tokenizer.convert_ids_to_tokens(${v}_ids)}`,
          `print(${v}_tokens['pieces'][:20])`,
          `print(${v}_tokens['ids'][:20])`,
        ].join('\n'),
        tag,
      );
      if (view) {
        const expected = view.pieces.map((p) => p.id);
        const whole = expected.length === view.count;
        w.code(
          [
            `expected_ids = ${pyLiteral(expected)}`,
            whole
              ? `assert ${v}_tokens['ids'] == expected_ids, f"Python gives {${v}_tokens['ids'][:12]}, the lab {expected_ids[:12]}"`
              : `assert ${v}_tokens['ids'][:len(expected_ids)] == expected_ids, 'the first IDs differ from the lab'`,
            `print('Python agrees with the lab: the same ${view.count} IDs.')`,
          ].join('\n'),
          `${tag}-check`,
        );
      }
      break;
    }
    case 'ids': {
      const view = viewFor(input, node, 'ids');
      const tokens = wired(node.id, 'tokens') ?? "{'ids': []}";
      const tok = wired(node.id, 'tokenizer');
      const special = String(params.special ?? 'as-is');
      const maxLength = Number(params.maxLength ?? 0);
      const body: string[] = [`${v}_ids = list(${tokens}['ids'])`];
      if (tok && special === 'bos-eos') body.push(`${v}_ids = [${tok}.bos_token_id] + ${v}_ids + [${tok}.eos_token_id]`);
      if (tok && special === 'cls-sep') body.push(`${v}_ids = [${tok}.cls_token_id] + ${v}_ids + [${tok}.sep_token_id]`);
      if (tok && special === 'strip') body.push(`${v}_ids = [i for i in ${v}_ids if i not in ${tok}.all_special_ids]`);
      if (maxLength > 0 && params.truncation !== false) body.push(`${v}_ids = ${v}_ids[:${maxLength}]`);
      body.push(`${v}_attention_mask = [1] * len(${v}_ids)`);
      if (maxLength > 0 && params.padding === true && tok) {
        body.push(
          `pad = ${tok}.pad_token_id if ${tok}.pad_token_id is not None else ${tok}.eos_token_id`,
          `${v}_attention_mask += [0] * max(0, ${maxLength} - len(${v}_ids))`,
          `${v}_ids += [pad] * max(0, ${maxLength} - len(${v}_ids))`,
        );
      }
      body.push(`print({'input_ids': ${v}_ids[:64], 'attention_mask': ${v}_attention_mask[:64]})`);
      w.markdown(nodeHeading(node, view ? `encode() returned ${plural(view.length, 'ID')}: ${view.rows.slice(0, 12).map((r) => r.id).join(' ')}${view.length > 12 ? ' …' : ''}.` : null) + '\n\nIn `transformers` this is what `tokenizer(text)` returns: `input_ids` and `attention_mask`.', tag);
      w.code(body.join('\n'), tag);
      if (view) {
        w.code(
          [
            `expected_ids = ${pyLiteral(view.rows.map((r) => r.id))}`,
            `assert len(${v}_ids) == ${view.length}, f'the lab gave ${view.length} IDs, Python {len(${v}_ids)}'`,
            `assert ${v}_ids[:len(expected_ids)] == expected_ids, f'Python gives {${v}_ids[:12]}, the lab {expected_ids[:12]}'`,
            `print('Python agrees with the lab: the same ${view.length} IDs.')`,
          ].join('\n'),
          `${tag}-check`,
        );
      }
      break;
    }
    case 'decode': {
      const view = viewFor(input, node, 'decode');
      const ids = wired(node.id, 'ids') ?? '[]';
      const mask = ids.replace(/_ids$/, '_attention_mask');
      const tok = wired(node.id, 'tokenizer') ?? 'None';
      const original = wired(node.id, 'original');
      const skip = params.skipSpecial === false ? 'False' : 'True';
      const answer = view ? `${view.roundTrip ? (view.roundTrip.equal ? 'the text came back exactly. ' : 'the text did not come back exactly. ') : ''}${pyStr(view.text.slice(0, 120))}` : null;
      w.markdown(nodeHeading(node, answer), tag);
      const real = ids.endsWith('_ids') ? `[i for i, m in zip(${ids}, ${mask}) if m]` : ids;
      w.code(
        [
          `${v}_text = ${tok}.decode(${real}, skip_special_tokens=${skip})`,
          `print(${v}_text[:500])`,
          ...(original ? [`print('Round trip exact:', ${v}_text == ${original})`] : []),
        ].join('\n'),
        tag,
      );
      if (view && !view.truncated) {
        w.code(`expected_text = ${pyStr(view.text)}\nassert ${v}_text == expected_text, f'Python decodes to {${v}_text[:80]!r}, the lab to {expected_text[:80]!r}'\nprint('Python agrees with the lab: the same text.')`, `${tag}-check`);
      }
      break;
    }
    case 'finetune':
      writeFinetune(w, input, node, params, wired, modelExpr(w, wired(node.id, 'model'), params), modelTokenizer());
      break;
    case 'ngram': {
      const view = viewFor(input, node, 'ngram');
      const tokens = wired(node.id, 'tokens');
      const text = wired(node.id, 'text');
      const n = Number(params.n ?? 2);
      const units = tokens
        ? `${tokens}['pieces']`
        : `re.findall(r'\\w+|[^\\w\\s]', ${text ?? "''"}${params.lowercase === false ? '' : '.lower()'})`;
      w.markdown(
        nodeHeading(node, view ? `the most frequent ${n}-grams were ${view.top.slice(0, 5).map((t) => `${t.units.join(' ')} (${t.count})`).join(', ')}.` : null) +
          '\n\nNo library needed: an n-gram model is counting, which `collections.Counter` does.',
        tag,
      );
      w.code(
        [
          'import re',
          '',
          `${v}_units = ${units}`,
          `${v}_counts = collections.Counter(tuple(${v}_units[i:i + ${n}]) for i in range(len(${v}_units) - ${n} + 1))`,
          `for gram, count in sorted(${v}_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:${Number(params.top ?? 20)}]:`,
          `    print(count, ' '.join(gram))`,
        ].join('\n'),
        tag,
      );
      if (view && tokens) {
        w.code(
          [
            `expected_top = ${pyLiteral(view.top.slice(0, 5).map((t) => [t.units, t.count]))}`,
            `assert [${v}_counts[tuple(units)] for units, _ in expected_top] == [count for _, count in expected_top], 'the counts differ from the lab'`,
            `print('Python agrees with the lab: the same counts for the top ${Math.min(5, view.top.length)}.')`,
          ].join('\n'),
          `${tag}-check`,
        );
      }
      break;
    }
    case 'compare': {
      const view = viewFor(input, node, 'compare');
      const src = wired(node.id, 'text') ?? "''";
      const chosen = (['gpt2', 'bert-base-uncased', 'tinyllama'] as const).filter((name) => params[name === 'bert-base-uncased' ? 'bert' : name] !== false);
      const wiredTokenizers = (['a', 'b', 'c'] as const).flatMap((port) => {
        const tokenizer = wired(node.id, port);
        const edge = input.doc.edges.find((e) => e.target === node.id && e.targetPort === port);
        return tokenizer && edge ? [{ tokenizer, pretrained: input.doc.nodes.find((n) => n.id === edge.source)?.type === 'pretrained' }] : [];
      }).map((t, i) => ({ ...t, label: view?.kinds[i]?.label ?? `${t.tokenizer}` }));
      w.markdown(nodeHeading(node, view ? view.kinds.map((k) => `${k.label}: ${plural(k.ids.length, 'token')}`).join('; ') + '.' : null) + '\n\nCompare has no one library call: the same text goes through each tokenizer in turn.', tag);
      w.code(
        [
          `${v}_ids = {}`,
          // Wired tokenizers come first, as in the lab; one trained on the canvas adds no special tokens there.
          ...wiredTokenizers.map(({ label, tokenizer, pretrained }) => `${v}_ids[${pyStr(label)}] = ${tokenizer}(${src}${pretrained ? '' : ', add_special_tokens=False'})['input_ids']`),
          ...chosen.map((name) => `${v}_ids[${pyStr(SHIPPED_TOKENIZER_LABELS[name])}] = AutoTokenizer.from_pretrained(${pyStr(w.shippedTokenizer(name))})(${src})['input_ids']  # online: ${HUB_IDS[name]}`),
          `for label, ids in ${v}_ids.items():`,
          `    print(f'{label:<10} {len(ids):>4} tokens  {ids[:16]}')`,
        ].join('\n'),
        tag,
      );
      if (view && !view.truncated) {
        w.code(
          [
            `expected = ${pyLiteral(Object.fromEntries(view.kinds.map((k) => [k.label, k.ids])))}`,
            `for label, ids in expected.items():`,
            `    assert ${v}_ids[label][:len(ids)] == ids, f'{label}: Python {${v}_ids[label][:12]}, the lab {ids[:12]}'`,
            `print('Python agrees with the lab for', ', '.join(expected))`,
          ].join('\n'),
          `${tag}-check`,
        );
      }
      break;
    }
    case 'train-model': {
      const view = viewFor(input, node, 'train-model');
      const folder = view ? view.weightsId : 'trained-model';
      w.markdown(
        nodeHeading(node, view ? `a ${view.layers} × ${view.width} GPT-2 with ${plural(view.vocabSize, 'embedding row')}, trained for ${plural(view.stepsDone, 'step')}.` : null) +
          `\n\nThe lab trained this model with TensorFlow.js; torch draws other random numbers, so it is not trained again here. ` +
          `Press **Download the model** in the lab's Train model inspector and unzip it beside this notebook (a folder \`${folder}/\`): its weights are the ONNX file's initializers, read as the shipped model's are.`,
        tag,
      );
      w.code(`${v}_model = load_tokenloom_tiny(${pyStr(folder)})\nprint(${v}_model.config.n_layer, 'layers,', ${v}_model.config.vocab_size, 'tokens')`, tag);
      break;
    }
    case 'note':
      w.markdown(`> **Note** (\`${node.id}\`): ${String(params.text ?? '').replace(/\n/g, '\n> ')}`, tag);
      break;
    case 'transformer':
      writeTransformer(c);
      break;
    case 'generate':
      writeGenerate(c);
      break;
  }
}
