/**
 * The notebook's building blocks: its nbformat types, the writer that collects cells and the
 * files they read, and what every node's cells are written from (CellContext).
 *
 * Not handled here: which cells a node gets (notebook-cells.ts and the files it calls), the
 * notebook as a whole (notebook.ts).
 */
import type { GraphDoc, GraphNode } from '../engine/graph-doc';
import { kindOf } from '../engine/validate';
import type { HuggingFaceFiles } from '../bpe/hf-export';
import { nodeKinds, type NodeType, type ViewOf } from '../index';
import type { ShippedTokenizerName } from '../pretrained/shipped';
import { SHIPPED_MODEL } from '../shared/model-ref';
import { GPT2_MARKS_PATTERN, GPT2_PATTERN, GPT4_PATTERN } from '../pretokenize/pretokenize';
import type { CheckSample } from './sample';
import { HELD_OUT_EVERY, ODIA_CORPUS_CREDIT } from '../text/odia-corpus';
import { pyStr } from './python';

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
  /** Per WordPiece or Unigram node id, what its `{ notebook: true }` query answers. */
  trained?: Readonly<Record<string, TrainedNotebookData>>;
}

/** A WordPiece or Unigram node's exported files (a `.base64` name is written as bytes) and check sample. */
export interface TrainedNotebookData {
  files: Readonly<Record<string, string>>;
  check: CheckSample;
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

/**
 * A file the notebook reads, relative to its folder: written from text, fetched from the app's
 * shipped files, or the shipped Odia corpus (too large to load until the download is made).
 */
export type NotebookFile =
  | { path: string; text: string }
  | { path: string; shipped: { root: 'hub' | 'models'; path: string } }
  /** Bytes, as base64 (a SentencePiece .model). */
  | { path: string; base64: string }
  | { path: string; corpus: 'odia' };

/** Where the notebook finds the shipped corpus, and its licence note. */
export const CORPUS_FILE = 'corpora/odia.txt';
const CORPUS_NOTE = 'corpora/SOURCES.txt';

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

export const MODEL_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
export const SHIPPED_MODEL_DIR = `models/${SHIPPED_MODEL.name}`;

/** Source lines as nbformat stores them: every line but the last keeps its newline. */
export function lines(text: string): string[] {
  const parts = text.replace(/\n+$/, '').split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line));
}

/** GPT-4's pattern with the contractions as tiktoken writes them, which Oniguruma (HF tokenizers) reads. */
export const PYTHON_PATTERNS = {
  gpt2: GPT2_PATTERN.source,
  gpt4: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|${GPT4_PATTERN.source.split('|').slice(7).join('|')}`,
  'gpt2-marks': GPT2_MARKS_PATTERN.source,
} as const;

export class NotebookWriter {
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

  /** The shipped corpus, whole (the notebook splits it as the lab does), with where it came from. */
  shippedCorpus(): string {
    this.files.set(CORPUS_FILE, { path: CORPUS_FILE, corpus: 'odia' });
    this.files.set(CORPUS_NOTE, {
      path: CORPUS_NOTE,
      text: `${CORPUS_FILE}: the Odia corpus Tokenloom ships, one translated interface string a line; line i is held out when i % ${HELD_OUT_EVERY} == ${HELD_OUT_EVERY - 1}.\n\n${ODIA_CORPUS_CREDIT}\nThe text keeps its packages' licences: LibreOffice's under the Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/), the others under the GNU Lesser General Public License 2.1 or later (https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html).\n`,
    });
    return CORPUS_FILE;
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


/** The markdown for a node: its title, the question, and the lab's answer. */
export function nodeHeading(node: GraphNode, answer: string | null): string {
  const def = kindOf(nodeKinds, node.type);
  const title = def?.title ?? node.type;
  const out = [`## ${title} · node \`${node.id}\``, '', `**${def?.question ?? ''}**`];
  if (answer) out.push('', `In the lab: ${answer}`);
  return out.join('\n');
}

/** The one cast: a view from the run, typed by its node kind. */
export function viewFor<K extends NodeType>(input: NotebookInput, node: GraphNode, _kind: K): ViewOf<K> | undefined {
  return (Object.hasOwn(input.views, node.id) ? input.views[node.id] : undefined) as ViewOf<K> | undefined;
}

export function plural(n: number, word: string) {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

/** What a node's cells are written from: the writer, the run's views, the node and its Python names. */
export interface CellContext {
  w: NotebookWriter;
  input: NotebookInput;
  node: GraphNode;
  /** The node's Python name prefix (`<node id>`, made a valid identifier). */
  v: string;
  /** The node's params, defaults applied ({} when they do not parse). */
  params: Record<string, unknown>;
  /** Cell id tag: `<type>-<node id>`. */
  tag: string;
  /** The Python variable holding what is wired into `port` of `nodeId`, if anything. */
  wired(nodeId: string, port: string): string | undefined;
  /** The shipped model's own tokenizer (GPT-2's), to show its predictions as text. */
  modelTokenizer(): string;
}

/** The model a Transformer/Generate/Fine-tune node reads: the wired one, a hub model, or the shipped one. */
export function modelExpr(w: NotebookWriter, wiredModel: string | undefined, params: Record<string, unknown>): string {
  if (wiredModel) return wiredModel;
  const hub = String(params.hubId ?? '').trim();
  if (params.model === 'hub' && hub) return `AutoModelForCausalLM.from_pretrained(${pyStr(hub)}).eval()`;
  w.shippedModel();
  return 'load_tokenloom_tiny()';
}
