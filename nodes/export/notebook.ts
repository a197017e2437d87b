/**
 * A graph as a Jupyter notebook (nbformat 4.5) that redoes it in Python with the libraries a
 * learner meets next: Hugging Face `tokenizers` and `transformers`, and `torch`.
 *
 *   const { notebook, files } = buildNotebook({ doc, views, bpe });
 *   // notebook.cells: a markdown cell per node (its question, the answer the lab showed), the
 *   // node's Python, and a cell asserting the lab's values (ids, top-5, merge counts).
 *   // files: what the notebook reads beside it (tokenizers/gpt2/…, bpe/<node>/tokenizer.json,
 *   // models/tokenloom-tiny/…); bundle.ts zips them with the notebook.
 *
 * Every BPE node also gets a cell that needs only Python's standard library and its
 * tokenizer.json (python.ts, stdlibCheckCell), which replays the merges and checks the IDs.
 *
 * Expected values come from the views of the current run (`views`, by node id); a node that has
 * not run gets its Python without assertions. Variables are named `<node id>_<port>`.
 *
 * Not handled here: running the notebook; exact reproduction of sampled text (the lab's random
 * numbers are not torch's) or of fine-tuning losses (same recipe, different arithmetic), which
 * the notebook prints beside the lab's instead of asserting; the lab's user-regex budget.
 */
import type { GraphDoc, GraphNode } from '../engine/graph-doc';
import { kindOf, topologicalOrder } from '../engine/validate';
import type { HuggingFaceFiles } from '../bpe/hf-export';
import { nodeKinds, type NodeType, type ViewOf } from '../index';
import { isShippedTokenizer, SHIPPED_TOKENIZER_LABELS, type ShippedTokenizerName } from '../pretrained/shipped';
import { SHIPPED_MODEL } from '../shared/model-ref';
import { GPT2_MARKS_PATTERN, GPT2_PATTERN, GPT4_PATTERN } from '../pretokenize/pretokenize';
import type { CheckSample } from './sample';
import { pyLiteral, pyName, pyStr, stdlibCheckCell } from './python';

/** What a BPE node's `{ notebook: true }` query answers. */
export interface BpeNotebookData {
  files: HuggingFaceFiles;
  check: CheckSample;
  pattern: 'gpt2' | 'gpt2-marks';
}

export interface NotebookInput {
  doc: GraphDoc;
  /** The view each node showed in the current run, by node id; missing for nodes that did not run. */
  views: Readonly<Record<string, unknown>>;
  /** Per BPE node id, its exported files and check sample. */
  bpe: Readonly<Record<string, BpeNotebookData>>;
}

interface MarkdownCell {
  id: string;
  cell_type: 'markdown';
  metadata: Record<string, never>;
  source: string[];
}
interface CodeCell {
  id: string;
  cell_type: 'code';
  metadata: Record<string, never>;
  execution_count: null;
  outputs: [];
  source: string[];
}
export type NotebookCell = MarkdownCell | CodeCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: {
    kernelspec: { name: 'python3'; display_name: string; language: 'python' };
    language_info: { name: 'python'; version: string; mimetype: string; file_extension: string; pygments_lexer: string; codemirror_mode: { name: string; version: number }; nbconvert_exporter: string };
    tokenloom: { title: string };
  };
  cells: NotebookCell[];
}

/** A file the notebook reads, relative to its folder: written from text, or fetched from the app's shipped files. */
export type NotebookFile = { path: string; text: string } | { path: string; shipped: { root: 'hub' | 'models'; path: string } };

export interface NotebookExport {
  notebook: Notebook;
  files: NotebookFile[];
  /** Code cells that use only Python's standard library (one per BPE node), by node id. */
  stdlibCells: Record<string, string>;
}

/** Hugging Face hub ids of the shipped tokenizers, for learners online. */
export const HUB_IDS: Record<ShippedTokenizerName, string> = {
  gpt2: 'gpt2',
  'bert-base-uncased': 'bert-base-uncased',
  tinyllama: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
};

const MODEL_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
const SHIPPED_MODEL_DIR = `models/${SHIPPED_MODEL.name}`;

/** Source lines as nbformat stores them: every line but the last keeps its newline. */
function lines(text: string): string[] {
  const parts = text.replace(/\n+$/, '').split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line));
}

/** GPT-4's pattern with the contractions as tiktoken writes them, which Oniguruma (HF tokenizers) reads. */
const PYTHON_PATTERNS = {
  gpt2: GPT2_PATTERN.source,
  gpt4: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|${GPT4_PATTERN.source.split('|').slice(7).join('|')}`,
  'gpt2-marks': GPT2_MARKS_PATTERN.source,
} as const;

class NotebookWriter {
  readonly cells: NotebookCell[] = [];
  readonly files = new Map<string, NotebookFile>();
  readonly stdlibCells: Record<string, string> = {};
  private count = 0;

  markdown(text: string, tag: string) {
    this.cells.push({ id: this.cellId(tag), cell_type: 'markdown', metadata: {}, source: lines(text) });
  }

  code(text: string, tag: string) {
    this.cells.push({ id: this.cellId(tag), cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: lines(text) });
  }

  shippedTokenizer(name: ShippedTokenizerName): string {
    const dir = `tokenizers/${name}`;
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
      this.files.set(`${dir}/${file}`, { path: `${dir}/${file}`, shipped: { root: 'hub', path: `${name}/${file}` } });
    }
    return dir;
  }

  shippedModel(): string {
    for (const file of MODEL_FILES) {
      this.files.set(`${SHIPPED_MODEL_DIR}/${file}`, { path: `${SHIPPED_MODEL_DIR}/${file}`, shipped: { root: 'models', path: `${SHIPPED_MODEL.name}/${file}` } });
    }
    return SHIPPED_MODEL_DIR;
  }

  /** Cell ids: short, unique, in nbformat's alphabet ([a-zA-Z0-9-_], 1–64 characters). */
  private cellId(tag: string): string {
    this.count += 1;
    return `c${String(this.count).padStart(3, '0')}-${tag.replace(/[^A-Za-z0-9-_]/g, '-')}`.slice(0, 64);
  }
}

function intro(doc: GraphDoc, usesModel: boolean, hasFiles: boolean): string {
  return [
    `# ${doc.title}`,
    '',
    'This notebook redoes the Tokenloom graph of the same name in Python, node by node, with the libraries you will use next: Hugging Face `tokenizers` and `transformers`, and `torch`.',
    '',
    `Install them first: run \`pip install tokenizers transformers torch${usesModel ? ' onnx' : ''}\` in a terminal (or \`%pip install …\` in a cell).`,
    '',
    'Each node gets a short explanation with the question it answers and what the lab showed, then its Python, then a cell that **checks the lab’s values** (`assert …`): if Python agrees with the lab, the cell prints a match; if not, it stops and shows where they differ.',
    '',
    'Cells under *Standard library only* need nothing installed: they replay the BPE merges from `tokenizer.json` by hand.',
    ...(hasFiles
      ? ['', 'The folders beside this notebook (`tokenizers/`, `bpe/`, `models/`) hold the tokenizers and the model the lab used, so it also runs offline. Keep them next to it. Online, the hub ids in the comments load the same tokenizers.']
      : []),
    ...(usesModel
      ? ['', 'The lab’s tiny model is stored as ONNX (the format the browser runs); `load_tokenloom_tiny()` copies its weights into a `transformers` GPT-2, which is why `onnx` is on the install line.']
      : []),
  ].join('\n');
}

const SETUP = `import collections
import json
import os
import unicodedata

import torch
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerFast

os.makedirs('bpe', exist_ok=True)`;

const LOAD_TINY = `from transformers import GPT2Config, GPT2LMHeadModel


def load_tokenloom_tiny(folder=${pyStr(SHIPPED_MODEL_DIR)}):
    """The lab's tiny GPT-2 (2 layers x 128): its weights are the initializers of the ONNX file."""
    import onnx
    from onnx import numpy_helper

    model = GPT2LMHeadModel(GPT2Config.from_pretrained(folder))
    graph = onnx.load(os.path.join(folder, 'onnx', 'model.onnx')).graph
    weights = {w.name: torch.from_numpy(numpy_helper.to_array(w).copy()) for w in graph.initializer if w.name.startswith('transformer.')}
    model.load_state_dict(weights, strict=False)  # the causal-mask buffers and the tied output layer are not stored
    model.tie_weights()
    return model.eval()


def top_k_next(model, ids, k, position=-1):
    """The k most likely next tokens after \`position\` (probabilities in float64, as the lab shows them)."""
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0, position]
    probs = torch.softmax(logits.double(), dim=-1)
    top = torch.topk(probs, k)
    return [(int(i), float(p)) for p, i in zip(top.values, top.indices)]`;

/** The markdown for a node: its title, the question, and the lab's answer. */
function nodeHeading(node: GraphNode, answer: string | null): string {
  const def = kindOf(nodeKinds, node.type);
  const title = def?.title ?? node.type;
  const out = [`## ${title} · node \`${node.id}\``, '', `**${def?.question ?? ''}**`];
  if (answer) out.push('', `In the lab: ${answer}`);
  return out.join('\n');
}

/** The one cast: a view from the run, typed by its node kind. */
function viewFor<K extends NodeType>(input: NotebookInput, node: GraphNode, _kind: K): ViewOf<K> | undefined {
  return (Object.hasOwn(input.views, node.id) ? input.views[node.id] : undefined) as ViewOf<K> | undefined;
}

function plural(n: number, word: string) {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

export function buildNotebook(input: NotebookInput): NotebookExport {
  const { doc } = input;
  const w = new NotebookWriter();
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const { order } = topologicalOrder(doc.nodes.map((n) => n.id), doc.edges);
  const usesModel = doc.nodes.some((n) => ['transformer', 'generate', 'finetune'].includes(n.type));

  /** The Python variable holding what is wired into `port` of `nodeId`, if anything. */
  const wired = (nodeId: string, port: string): string | undefined => {
    const edge = doc.edges.find((e) => e.target === nodeId && e.targetPort === port);
    return edge && byId.has(edge.source) ? `${pyName(edge.source)}_${edge.sourcePort}` : undefined;
  };
  /** The shipped model's own tokenizer (GPT-2's), to show its predictions as text. */
  const modelTokenizer = () => `AutoTokenizer.from_pretrained(${pyStr(w.shippedModel())})`;

  w.markdown('', 'intro'); // written last, once the files it mentions are known
  w.code(SETUP, 'setup');
  if (usesModel) {
    w.shippedModel();
    w.code(LOAD_TINY, 'load-model');
  }

  for (const id of order) {
    const node = byId.get(id)!;
    const v = pyName(node.id);
    const def = kindOf(nodeKinds, node.type);
    if (!def) {
      w.markdown(`## \`${node.id}\` (${node.type})\n\nThis kind of node has no Python version here.`, v);
      continue;
    }
    const parsed = def.params.safeParse(node.params);
    const params: Record<string, unknown> = parsed.success ? parsed.data : {};
    const tag = `${node.type}-${node.id}`;
    if ((node.type === 'transformer' || node.type === 'generate') && params.model === 'ollama' && !wired(node.id, 'model')) {
      // An Ollama model lives on the learner's machine, not in the notebook: say so, and pass the
      // prompt IDs on so later cells still run.
      const ids = wired(node.id, 'ids') ?? '[]';
      const mask = ids.replace(/_ids$/, '_attention_mask');
      w.markdown(
        `## \`${node.id}\` (${node.type})\n\nThis node asked the Ollama model ${pyStr(String(params.ollamaModel ?? ''))}; the notebook does not redo it (Ollama is not a Python library, and it does not expose its tokenizer).`,
        tag,
      );
      if (node.type === 'generate') w.code(`${v}_ids = [i for i, m in zip(${ids}, ${mask}) if m]  # the prompt only\n${v}_attention_mask = [1] * len(${v}_ids)`, tag);
      continue;
    }
    switch (node.type as NodeType) {
      case 'text': {
        const view = viewFor(input, node, 'text');
        const text = String(params.text ?? '');
        w.markdown(nodeHeading(node, view ? `${plural(view.codePoints, 'code point')}, ${plural(view.utf8Bytes, 'UTF-8 byte')}.` : null), tag);
        w.code(
          `${v}_text = ${pyStr(text)}\n\nprint(len(${v}_text), 'code points,', len(${v}_text.encode('utf-8', 'surrogatepass')), 'UTF-8 bytes')`,
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
      case 'transformer': {
        const view = viewFor(input, node, 'transformer');
        const ids = wired(node.id, 'ids') ?? '[]';
        const mask = ids.replace(/_ids$/, '_attention_mask');
        const model = modelExpr(w, wired(node.id, 'model'), params);
        const k = Number(params.topK ?? 5);
        const first = view?.topK[0];
        w.markdown(nodeHeading(node, first ? `the most likely next tokens were ${first.candidates.map((c) => `${pyStr(c.token)} (${(c.prob * 100).toFixed(1)}%)`).join(', ')}.` : null), tag);
        w.code(
          [
            `${v}_model = ${model}`,
            `${v}_input = [i for i, m in zip(${ids}, ${mask}) if m][-${v}_model.config.n_positions:]`,
            `${v}_top = top_k_next(${v}_model, ${v}_input, ${k})`,
            `${v}_tokenizer = ${modelTokenizer()}`,
            `for token_id, prob in ${v}_top:`,
            `    print(f'{token_id:>6}  {${v}_tokenizer.convert_ids_to_tokens(token_id)!r:<16} {prob:.4f}')`,
          ].join('\n'),
          tag,
        );
        if (first) {
          w.code(
            [
              `expected_top = ${pyLiteral(first.candidates.map((c) => [c.id, c.prob]))}  # (id, probability) in the lab`,
              `assert [i for i, _ in ${v}_top] == [i for i, _ in expected_top], f'Python ranks {[i for i, _ in ${v}_top]}, the lab {[i for i, _ in expected_top]}'`,
              `assert all(abs(p - q) < 1e-3 for (_, p), (_, q) in zip(${v}_top, expected_top)), 'the probabilities differ from the lab by more than 0.001'`,
              `print('Python agrees with the lab: the same top-${first.candidates.length}.')`,
            ].join('\n'),
            `${tag}-check`,
          );
        }
        break;
      }
      case 'generate': {
        const view = viewFor(input, node, 'generate');
        const ids = wired(node.id, 'ids') ?? '[]';
        const mask = ids.replace(/_ids$/, '_attention_mask');
        const model = modelExpr(w, wired(node.id, 'model'), params);
        const greedy = params.strategy !== 'sample';
        const sampling = greedy
          ? 'do_sample=False'
          : `do_sample=True, temperature=${Number(params.temperature ?? 1)}, top_k=${Number(params.topK ?? 50)}, top_p=${Number(params.topP ?? 1)}`;
        w.markdown(
          nodeHeading(node, view ? `${plural(view.steps.length, 'new token')} (${view.strategy}): ${pyStr(view.text.slice(0, 160))}` : null) +
            (greedy ? '' : '\n\nSampling draws random numbers; the lab’s generator is not torch’s, so the same seed gives different text here. The lab’s text is printed for comparison.'),
          tag,
        );
        w.code(
          [
            `${v}_model = ${model}`,
            `${v}_prompt = torch.tensor([[i for i, m in zip(${ids}, ${mask}) if m]])`,
            `torch.manual_seed(${Number(params.seed ?? 42)})`,
            `${v}_out = ${v}_model.generate(${v}_prompt, attention_mask=torch.ones_like(${v}_prompt), max_new_tokens=${Number(params.maxNewTokens ?? 30)}, ${sampling},`,
            `    eos_token_id=${params.stopAtEos === false ? 'None' : `${v}_model.config.eos_token_id`}, pad_token_id=${v}_model.config.eos_token_id)`,
            `${v}_ids = ${v}_out[0].tolist()`,
            `${v}_attention_mask = [1] * len(${v}_ids)`,
            `${v}_new = ${v}_ids[${v}_prompt.shape[1]:]`,
            `print(${modelTokenizer()}.decode(${v}_new))`,
          ].join('\n'),
          tag,
        );
        if (view) {
          const expected = view.steps.map((s) => s.id);
          w.code(
            greedy
              ? `expected_new = ${pyLiteral(expected)}\nassert ${v}_new == expected_new, f'Python wrote {${v}_new[:10]}, the lab {expected_new[:10]}'\nprint('Python agrees with the lab: the same ${expected.length} new tokens.')`
              : `expected_new = ${pyLiteral(expected)}\nprint('The lab wrote:', ${pyStr(view.text.slice(0, 500))})\nprint('Same tokens as the lab:', ${v}_new == expected_new)`,
            `${tag}-check`,
          );
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
        w.markdown(nodeHeading(node, view ? view.kinds.map((k) => `${k.label}: ${plural(k.ids.length, 'token')}`).join('; ') + '.' : null) + '\n\nCompare has no one library call: the same text goes through each tokenizer in turn.', tag);
        w.code(
          [
            `${v}_ids = {}`,
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
      case 'note':
        w.markdown(`> **Note** (\`${node.id}\`): ${String(params.text ?? '').replace(/\n/g, '\n> ')}`, tag);
        break;
    }
  }
  w.markdown('## Done\n\nEvery check above compared Python with the lab. Change a setting in the lab, export again, and see which numbers move.', 'done');

  const first = w.cells[0]!;
  first.source = lines(intro(doc, usesModel, w.files.size > 0));
  const notebook: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python', version: '3', mimetype: 'text/x-python', file_extension: '.py', pygments_lexer: 'ipython3', codemirror_mode: { name: 'ipython', version: 3 }, nbconvert_exporter: 'python' },
      tokenloom: { title: doc.title },
    },
    cells: w.cells,
  };
  return { notebook, files: [...w.files.values()], stdlibCells: w.stdlibCells };
}

/** The model a Transformer/Generate/Fine-tune node reads: the wired one, a hub model, or the shipped one. */
function modelExpr(w: NotebookWriter, wiredModel: string | undefined, params: Record<string, unknown>): string {
  if (wiredModel) return wiredModel;
  const hub = String(params.hubId ?? '').trim();
  if (params.model === 'hub' && hub) return `AutoModelForCausalLM.from_pretrained(${pyStr(hub)}).eval()`;
  w.shippedModel();
  return 'load_tokenloom_tiny()';
}

function writeBpe(
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

function writeFinetune(
  w: NotebookWriter,
  input: NotebookInput,
  node: GraphNode,
  params: Record<string, unknown>,
  wired: (nodeId: string, port: string) => string | undefined,
  model: string,
  modelTokenizer: string,
) {
  const v = pyName(node.id);
  const tag = `finetune-${node.id}`;
  const view = viewFor(input, node, 'finetune');
  const text = wired(node.id, 'text') ?? "''";
  const watchTok = wired(node.id, 'tokenizer');
  const answer = view
    ? `${plural(view.steps, 'step')}; the fine-tune loss went from ${view.history[0]?.fineTuneLoss.toFixed(3) ?? '?'} to ${view.history.at(-1)?.fineTuneLoss.toFixed(3) ?? '?'}, and the watched IDs ${view.watch.identical ? 'did not change' : 'changed'}.`
    : null;
  w.markdown(
    nodeHeading(node, answer) +
      '\n\nA short `torch` training loop with the lab’s settings. The lab trains in the browser with its own arithmetic and random numbers, so the losses here are close to the lab’s, not equal; they are printed side by side.',
    tag,
  );
  w.code(
    [
      `${v}_model = ${model}`,
      `${v}_tok = ${modelTokenizer}`,
      `${v}_watch_before = ${watchTok ? `${watchTok}` : `${v}_tok`}(${pyStr(String(params.watchText ?? ''))}, add_special_tokens=False)['input_ids']`,
      `${v}_data = ${v}_tok(${text}, add_special_tokens=False)['input_ids']`,
      `${v}_data = ${v}_data * (${Number(params.seqLength ?? 32)} // max(1, len(${v}_data)) + 2) if len(${v}_data) <= ${Number(params.seqLength ?? 32)} else ${v}_data  # short texts repeat`,
      `SEQ, BATCH, STEPS = ${Number(params.seqLength ?? 32)}, ${Number(params.batchSize ?? 4)}, ${Number(params.steps ?? 20)}`,
      `${v}_gen = torch.Generator().manual_seed(${Number(params.seed ?? 1)})`,
      ...(params.freezeEmbedding ? [`${v}_model.transformer.wte.weight.requires_grad_(False)  # frozen, and with it the tied output layer`] : []),
      `${v}_opt = torch.optim.Adam([p for p in ${v}_model.parameters() if p.requires_grad], lr=${Number(params.learningRate ?? 1e-3)})`,
      `${v}_model.train()`,
      `${v}_losses = []`,
      `for step in range(STEPS):`,
      `    starts = torch.randint(0, max(1, len(${v}_data) - SEQ), (BATCH,), generator=${v}_gen).tolist()`,
      `    batch = torch.tensor([${v}_data[s:s + SEQ] for s in starts])`,
      `    loss = ${v}_model(batch, labels=batch).loss`,
      `    ${v}_opt.zero_grad()`,
      `    loss.backward()`,
      `    ${v}_opt.step()`,
      `    ${v}_losses.append(loss.item())`,
      `${v}_model.eval()`,
      `${v}_watch_after = ${watchTok ? `${watchTok}` : `${v}_tok`}(${pyStr(String(params.watchText ?? ''))}, add_special_tokens=False)['input_ids']`,
      `print('batch losses:', [round(x, 3) for x in ${v}_losses])`,
    ].join('\n'),
    tag,
  );
  if (view) {
    w.code(
      [
        `expected_watch_ids = ${pyLiteral(view.watch.before.map((p) => p.id))}`,
        `lab_losses = ${pyLiteral(view.history.map((h) => (h.batchLoss === null ? null : Number(h.batchLoss.toFixed(4)))))}`,
        `print('lab batch losses:', lab_losses)`,
        `assert ${v}_watch_before == ${v}_watch_after == expected_watch_ids, 'the token IDs changed'`,
        `print('Python agrees with the lab: training changed the weights, not the token IDs', expected_watch_ids)`,
      ].join('\n'),
      `${tag}-check`,
    );
  }
}
