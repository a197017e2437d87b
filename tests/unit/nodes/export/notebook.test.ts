import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { Tokenizer } from 'tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRecipeCache } from '@/nodes/engine/cache';
import { execute } from '@/nodes/engine/executor';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { registry } from '@/nodes';
import { bpeNode } from '@/nodes/bpe';
import { TEMPLATES } from '@/nodes/templates';
import { buildNotebook, type BpeNotebookData, type NotebookExport, type TrainedNotebookData } from '@/nodes/export/notebook';
import { wordpieceNode } from '@/nodes/wordpiece';
import { unigramNode } from '@/nodes/unigram';
import { bundleNotebook, notebookJson } from '@/nodes/export/bundle';
import { pyLiteral, STDLIB_MATCH_LINE } from '@/nodes/export/python';
import { ODIA_CORPUS } from '@/nodes/text/corpora/odia-text';
import { splitCorpus } from '@/nodes/text/odia-corpus';
import { graph, nodeResources } from '../../engine/fixtures';
import { fewSteps } from '../templates/few-steps';

/** Runs a graph as the lab does and builds its notebook from the run's views and BPE exports. */
async function exportGraph(doc: GraphDoc): Promise<NotebookExport> {
  const report = await execute(doc, { registry, cache: createRecipeCache(), where: 'server', resources: nodeResources });
  const views: Record<string, unknown> = {};
  const bpe: Record<string, BpeNotebookData> = {};
  const trained: Record<string, TrainedNotebookData> = {};
  for (const [id, outcome] of report.outcomes) {
    if (outcome.status !== 'done' && outcome.status !== 'cached') continue;
    views[id] = outcome.view;
    const type = doc.nodes.find((n) => n.id === id)?.type;
    if (type === 'wordpiece' || type === 'unigram') {
      const def = type === 'wordpiece' ? wordpieceNode : unigramNode;
      trained[id] = def.query!({ outputs: outcome.outputs as never, details: undefined }, { notebook: true }) as TrainedNotebookData;
    }
    if (doc.nodes.find((n) => n.id === id)?.type === 'bpe') {
      const outputs = outcome.outputs as Parameters<NonNullable<typeof bpeNode.query>>[0]['outputs'];
      bpe[id] = bpeNode.query!({ outputs, details: undefined }, { notebook: true }) as BpeNotebookData;
    }
  }
  return buildNotebook({ doc, views, bpe, trained });
}

/** The notebook and its files in a fresh folder, as a learner unzips them. */
function writeOut(built: NotebookExport): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokenloom-nb-'));
  writeFileSync(join(dir, 'graph.ipynb'), notebookJson(built));
  for (const file of built.files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    if ('text' in file) writeFileSync(target, file.text);
    else if ('corpus' in file) writeFileSync(target, ODIA_CORPUS);
    else if ('base64' in file) writeFileSync(target, Buffer.from(file.base64, 'base64'));
    else copyFileSync(resolve('public', file.shipped.root, file.shipped.path), target);
  }
  return dir;
}

/** Debian's python3 (with python3-nbformat), not a python3 some other tool put first on PATH. */
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

function python(args: string[], cwd: string) {
  return spawnSync(PYTHON, args, { cwd, encoding: 'utf8', timeout: 120_000 });
}

const VALIDATE = 'import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print("valid")';
const COMPILE = 'import json, sys\nnb = json.load(open(sys.argv[1]))\nfor c in nb["cells"]:\n    if c["cell_type"] == "code": compile("".join(c["source"]), c["id"], "exec")\nprint("compiled")';

const built = new Map<string, NotebookExport>();
beforeAll(async () => {
  // The notebook is written from the graph's settings and views; trainings run a few steps.
  for (const t of TEMPLATES) built.set(t.id, await exportGraph(fewSteps(t.doc)));
}, 600_000);

describe('notebook export of the templates', () => {
  for (const template of TEMPLATES) {
    it(`"${template.title}" is a valid nbformat 4.5 notebook whose code cells all compile`, () => {
      const nb = built.get(template.id)!;
      const dir = writeOut(nb);
      const file = join(dir, 'graph.ipynb');
      const valid = python(['-c', VALIDATE, file], dir);
      expect(valid.stderr).toBe('');
      expect(valid.stdout.trim()).toBe('valid');
      const compiled = python(['-c', COMPILE, file], dir);
      expect(compiled.stderr).toBe('');
      expect(compiled.stdout.trim()).toBe('compiled');
      expect(nb.notebook.nbformat_minor).toBe(5);
      expect(new Set(nb.notebook.cells.map((c) => c.id)).size).toBe(nb.notebook.cells.length);
    });
  }

  it('asks learners to install tokenizers, transformers and torch in the first cell', () => {
    const first = built.get('vocab')!.notebook.cells[0]!;
    expect(first.cell_type).toBe('markdown');
    expect(first.source.join('')).toContain('pip install tokenizers transformers torch');
  });

  it('puts each node’s question in a markdown cell and the lab’s IDs in an assert', () => {
    const cells = built.get('pipeline')!.notebook.cells;
    const text = cells.map((c) => c.source.join('')).join('\n');
    expect(text).toContain(registry.ids!.question);
    expect(text).toContain('expected_ids = [40, 1842]');
    expect(text).toMatch(/assert ids_ids\[:len\(expected_ids\)\] == expected_ids/);
    expect(text).toContain("AutoTokenizer.from_pretrained('tokenizers/gpt2')");
    expect(text).toMatch(/expected_top = \[\[286, 0\.\d+\]/);
  });

  it('trains BPE in Python with the node’s vocabulary size, minimum frequency and special tokens', () => {
    const text = built.get('vocab')!.notebook.cells.map((c) => c.source.join('')).join('\n');
    expect(text).toContain("trainers.BpeTrainer(vocab_size=1000, min_frequency=2, special_tokens=['<|endoftext|>']");
    expect(text).toContain("Tokenizer.from_file('bpe/bpe/tokenizer.json')");
  });

  it('loads the shipped model from the folder beside the notebook when the graph uses it', () => {
    const nb = built.get('pipeline')!;
    expect(nb.files.map((f) => f.path)).toEqual(expect.arrayContaining(['models/tokenloom-tiny/onnx/model.onnx', 'tokenizers/gpt2/tokenizer.json']));
    expect(nb.notebook.cells.map((c) => c.source.join('')).join('\n')).toContain('generate_model.generate(');
  });
});

describe('the standard-library check cell', () => {
  const cases = [
    ['vocab', 'bpe', 'a BPE trained in the lab'],
    ['gpt2-chain', 'bpe', 'GPT-2’s shipped merges'],
    ['odia-train', 'bpe', 'the script-aware split on Odia'],
  ] as const;
  for (const [templateId, nodeId, what] of cases) {
    it(`replays ${what} with Python’s standard library and gets the lab’s IDs`, () => {
      const nb = built.get(templateId)!;
      const dir = writeOut(nb);
      writeFileSync(join(dir, 'check.py'), nb.stdlibCells[nodeId]!);
      const run = python(['check.py'], dir);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(STDLIB_MATCH_LINE);
    });
  }

  it('fails when an expected ID is tampered with', () => {
    const nb = built.get('gpt2-chain')!;
    const dir = writeOut(nb);
    const cell = nb.stdlibCells.bpe!;
    const tampered = cell.replace(/EXPECTED_IDS = \[40, 1842,/, 'EXPECTED_IDS = [40, 1843,');
    expect(tampered).not.toBe(cell);
    writeFileSync(join(dir, 'check.py'), tampered);
    const run = python(['check.py'], dir);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('AssertionError: Python and the lab differ at token 1');
    expect(run.stdout).not.toContain(STDLIB_MATCH_LINE);
  });

  it('checks GPT-2’s official IDs for “I love NLP”', () => {
    expect(built.get('gpt2-chain')!.stdlibCells.bpe).toContain('EXPECTED_IDS = [40, 1842, 399, 19930,');
  });
});

describe('a Text node holding the shipped corpus', () => {
  /** The code of the cells tagged `text-<id>`, run in the unzipped folder; writes the texts to texts.json. */
  function runTextCells(nb: NotebookExport, dir: string, ids: string[]) {
    const code = nb.notebook.cells.filter((c) => c.cell_type === 'code' && ids.some((id) => c.id.endsWith(`-text-${id}`) || c.id.endsWith(`-text-${id}-check`)));
    expect(code.length).toBe(2 * ids.length); // the node's Python and its check of the lab's count
    const src = `${code.map((c) => c.source.join('')).join('\n')}\nimport json\njson.dump([${ids.map((id) => `${id}_text`).join(', ')}], open('texts.json', 'w', encoding='utf-8'), ensure_ascii=False)`;
    writeFileSync(join(dir, 'texts.py'), src);
    return python(['texts.py'], dir);
  }

  it('loads the same training and held-out parts in Python as the lab, from the corpus file beside the notebook', () => {
    const nb = built.get('odia-train')!;
    expect(nb.files.map((f) => f.path)).toEqual(expect.arrayContaining(['corpora/odia.txt', 'corpora/SOURCES.txt']));
    const dir = writeOut(nb);
    const run = runTextCells(nb, dir, ['text', 'corpus']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Python agrees with the lab');
    const { train, heldOut } = splitCorpus(ODIA_CORPUS);
    expect(JSON.parse(readFileSync(join(dir, 'texts.json'), 'utf8'))).toEqual([heldOut, train]);
  });

  it('fails its check when the corpus file beside it is not the one the lab used', () => {
    const nb = built.get('odia-train')!;
    const dir = writeOut(nb);
    writeFileSync(join(dir, 'corpora/odia.txt'), ODIA_CORPUS.split('\n').slice(10).join('\n'));
    const run = runTextCells(nb, dir, ['text']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('the lab counted');
  });

  it('zips the corpus with the notebook', async () => {
    const read = async (root: 'hub' | 'models', path: string) => new Uint8Array(readFileSync(resolve('public', root, path)));
    const out = await bundleNotebook(built.get('odia-train')!, 'odia', read);
    const entries = unzipSync(out.bytes);
    expect(strFromU8(entries['odia/corpora/odia.txt']!)).toBe(ODIA_CORPUS);
    expect(strFromU8(entries['odia/corpora/SOURCES.txt']!)).toContain('Mozilla Public License 2.0');
  });
});

describe('WordPiece and Unigram in the notebook', () => {
  const nb = () => built.get('three-algorithms')!;
  const source = () => nb().notebook.cells.map((c) => c.source.join('')).join('\n');
  /** The text and IDs a node's check cell asserts, read back through Python's own parser. */
  function checked(nodeId: string): { text: string; ids: number[] } {
    const cell = nb().notebook.cells.find((c) => c.id.endsWith(`-${nodeId}-check`) && c.id.includes(`${nodeId}-${nodeId}`))!;
    const src = cell.source.join('');
    const literal = /_hf\.encode\((.*), add_special_tokens=False\)\.ids == expected_ids/.exec(src)![1]!;
    const ids = JSON.parse(/^expected_ids = (\[[^\]]*\])/m.exec(src)![1]!) as number[];
    const text = JSON.parse(execFileSync(PYTHON, ['-c', `import json; print(json.dumps(${literal}))`], { encoding: 'utf8' })) as string;
    return { text, ids };
  }
  const file = (path: string) => nb().files.find((f) => f.path === path);

  it('trains WordPiece in Python with HF’s WordPieceTrainer and the node’s settings, and loads the lab’s tokenizer.json', () => {
    const src = source();
    expect(src).toContain("trainers.WordPieceTrainer(vocab_size=800, min_frequency=2, special_tokens=['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],");
    expect(src).toContain("continuing_subword_prefix='##'");
    expect(src).toContain('normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=True)');
    expect(src).toContain("models.WordPiece(unk_token='[UNK]', max_input_chars_per_word=100)");
    expect(src).toContain("wordpiece_hf = Tokenizer.from_file('wordpiece/wordpiece/tokenizer.json')");
    expect(file('wordpiece/wordpiece/tokenizer.json')).toBeDefined();
    expect(file('wordpiece/wordpiece/vocab.txt')).toBeDefined();
  });

  it('trains Unigram in Python with sentencepiece’s trainer and the lab’s settings, and ships the lab’s .model and tokenizer.json', () => {
    const src = source();
    expect(src).toContain("model_type='unigram',\n    vocab_size=800, character_coverage=0.9995, max_sentencepiece_length=16,");
    expect(src).toContain("normalization_rule_name='identity'");
    expect(src).toContain("spm.SentencePieceProcessor(model_file='unigram/unigram/tokenizer.model')");
    expect(nb().notebook.cells[0]!.source.join('')).toContain('sentencepiece');
    const model = file('unigram/unigram/tokenizer.model');
    expect(model && 'base64' in model).toBe(true);
    expect(file('unigram/unigram/tokenizer.json')).toBeDefined();
  });

  it('asserts IDs that HF tokenizers gives with the exported WordPiece and Unigram tokenizer.json', async () => {
    for (const id of ['wordpiece', 'unigram']) {
      const { text, ids } = checked(id);
      expect(ids.length).toBeGreaterThan(5);
      const json = file(`${id}/${id}/tokenizer.json`) as { text: string };
      const native = Tokenizer.fromString(json.text);
      expect((await native.encode(text, null, { addSpecialTokens: false })).getIds()).toEqual(ids);
    }
  });

  it('ships a SentencePiece model that spm_encode reads to the IDs the notebook asserts', () => {
    const { text, ids } = checked('unigram');
    const dir = writeOut(nb());
    writeFileSync(join(dir, 'check.txt'), `${text}\n`);
    const out = execFileSync('spm_encode', ['--model=unigram/unigram/tokenizer.model', '--output_format=id', '--input=check.txt'], { cwd: dir, encoding: 'utf8' });
    expect(out.trim().split(/\s+/).map(Number)).toEqual(ids);
  });

  it('checks a wired trained tokenizer in Compare by its lab label, without special tokens', () => {
    const src = source();
    expect(src).toContain("compare_ids['WordPiece (trained)'] = wordpiece_tokenizer(sentence_text, add_special_tokens=False)['input_ids']");
    expect(src).toContain("compare_ids['Unigram (trained)'] = unigram_tokenizer(sentence_text, add_special_tokens=False)['input_ids']");
  });
});

describe('the download', () => {
  it('is a plain .ipynb when the notebook reads no files', async () => {
    const out = await bundleNotebook(built.get('pieces')!, 'from-text-to-pieces', () => Promise.reject(new Error('nothing to read')));
    expect(out.filename).toBe('from-text-to-pieces.ipynb');
    expect(JSON.parse(strFromU8(out.bytes)).nbformat).toBe(4);
  });

  it('is a zip with the notebook and the shipped tokenizer files when the graph uses them', async () => {
    const read = async (root: 'hub' | 'models', path: string) => new Uint8Array(readFileSync(resolve('public', root, path)));
    const out = await bundleNotebook(built.get('compare')!, 'ids', read);
    expect(out.filename).toBe('ids.zip');
    const entries = unzipSync(out.bytes);
    expect(Object.keys(entries).sort()).toEqual(
      expect.arrayContaining(['ids/ids.ipynb', 'ids/tokenizers/gpt2/tokenizer.json', 'ids/tokenizers/bert-base-uncased/tokenizer.json', 'ids/tokenizers/tinyllama/tokenizer.json']),
    );
    expect(strFromU8(entries['ids/tokenizers/gpt2/tokenizer.json']!)).toBe(readFileSync('public/hub/gpt2/tokenizer.json', 'utf8'));
  });
});

describe('Python literals', () => {
  it('round-trip awkward strings through Python: quotes, controls, Odia, emoji, line separators, lone surrogates', () => {
    const values = ["it's \\ \"q\"", 'a\u0000b\u001f\u007f', 'ଜଣେ ପିଲା', '😀 e\u0301', '\u2028\u2029\ufeff\u00a0', 'x\ud800y'];
    const src = `import json\nprint(json.dumps(${pyLiteral(values)}))`;
    const out = execFileSync(PYTHON, ['-c', src], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(values);
  });
});

describe('notebook export of hand-built graphs', () => {
  const text = 'Café  CAFÉ naïve — the <|endoftext|> isn’t 42 ବିଦ୍ୟାଳୟ 😀\n\n\n\tend';
  const modes = ['whitespace', 'bert', 'gpt2', 'gpt4', 'gpt2-marks', 'metaspace', 'bytelevel'] as const;
  const doc = graph(
    [
      ['text', 'text', { text, origin: 'typed' }],
      ['clean', 'clean', { form: 'NFKC', lowercase: true, stripAccents: true, collapseWhitespace: true, replacePattern: '[0-9]+', replaceWith: '#' }],
      ...modes.map((mode): [string, string, Record<string, unknown>] => [`pre-${mode}`, 'pretokenize', { mode }]),
      ['bpe', 'bpe', { vocabSize: 300, minFrequency: 1, specialTokens: '<|endoftext|>, <pad>' }],
      ['mystery', 'no-such-kind'],
      ['proto', '__proto__'],
    ],
    [['text', 'clean'], ...modes.map((mode): [string, string] => ['clean', `pre-${mode}`]), ['pre-bytelevel', 'bpe', 'pretokens', 'pretokens']],
  );
  let nb: NotebookExport;
  beforeAll(async () => {
    nb = await exportGraph(doc);
  });

  it('writes every cleaning setting and pre-tokenizer mode as valid Python', () => {
    const dir = writeOut(nb);
    expect(python(['-c', VALIDATE, join(dir, 'graph.ipynb')], dir).stdout.trim()).toBe('valid');
    const compiled = python(['-c', COMPILE, join(dir, 'graph.ipynb')], dir);
    expect(compiled.stderr).toBe('');
    const source = nb.notebook.cells.map((c) => c.source.join('')).join('\n');
    expect(source).toContain('normalizers.NFKC(), normalizers.NFD(), normalizers.StripAccents(), normalizers.NFKC(), normalizers.Lowercase()');
    expect(source).toContain("normalizers.Replace(Regex('[0-9]+'), '#')");
    expect(source).toContain('pre_tokenizers.BertPreTokenizer()');
    expect(source).toContain("special_tokens=['<|endoftext|>', '<pad>']");
  });

  it('explains in markdown a node kind it has no Python for, __proto__ included', () => {
    const cell = nb.notebook.cells.find((c) => c.source.join('').includes('`mystery`'))!;
    expect(cell.cell_type).toBe('markdown');
    expect(cell.source.join('')).toContain('no Python version here');
    const proto = nb.notebook.cells.find((c) => c.source.join('').includes('`proto`'))!;
    expect(proto.cell_type).toBe('markdown');
    expect(proto.source.join('')).toContain('no Python version here');
  });

  it('replays a trained BPE on text with a special token, accents and emoji with the standard library', () => {
    const dir = writeOut(nb);
    writeFileSync(join(dir, 'check.py'), nb.stdlibCells.bpe!);
    const run = python(['check.py'], dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(STDLIB_MATCH_LINE);
  });
});
