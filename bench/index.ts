/**
 * `npm run bench`: every benchmark, one after another, each printed side by side with its
 * reference. Runs after `next build` (the package script does it) because the browser and
 * server benchmarks use the production build.
 */
import { execFileSync } from 'node:child_process';
import { benchKeystroke, printKeystroke } from './keystroke';
import { benchPretokenize, printPretokenize } from './pretokenize';

/** A benchmark that is its own script (it forks children to measure peak memory). */
const script = (...args: string[]) => async () => {
  execFileSync('npx', ['tsx', ...args], { stdio: 'inherit' });
};

const sections: { name: string; run: () => Promise<void> }[] = [
  { name: 'Bench corpora (State of the Union, public domain; written once to bench/corpora/)', run: script('scripts/make-corpora.ts') },
  { name: 'BPE: training vs Hugging Face tokenizers; encoding and decoding vs gpt-tokenizer, tiktoken, transformers.js', run: script('bench/bpe.ts') },
  { name: 'Streaming BPE training of a 100 MB local file in Chromium (File.stream() in the worker), beside the same trainer in Node', run: script('bench/browser-corpus.ts') },
  { name: 'WordPiece training vs HF tokenizers (1 thread); Unigram training vs spm_train (1 thread), with parity at full size', run: script('bench/subword.ts') },
  {
    name: 'Pre-tokenization throughput (Node, 2 MB of the bundled samples)',
    run: async () => printPretokenize(benchPretokenize()),
  },
  {
    name: 'Keystroke → updated chips, stage by stage (Chromium; GPT-2 chain with the Pretokenize inspector open; 2 KB and 50 KB)',
    run: async () => printKeystroke(await benchKeystroke()),
  },
  {
    name: 'Model (tokenloom-tiny): load time and per-token latency, onnxruntime-node (floor) vs the server path vs browser WASM (WebGPU reported)',
    run: script('bench/model.ts'),
  },
  {
    name: 'Fine-tune: ms per step on wasm, in Node and in Chromium, embedding trained or frozen',
    run: script('bench/finetune.ts'),
  },
  {
    name: 'Train model: ms per step, tokens/s, held-out loss after 60 s against the bigram, peak memory; tiny and small, Node and Chromium (wasm)',
    run: script('bench/train-model.ts'),
  },
  {
    name: 'Server under load: 50 concurrent runs of the starter pipeline, latency of a light request (graph.get)',
    run: script('bench/server-load.ts'),
  },
  {
    name: 'Job queue (throwaway PostgreSQL): 1 web + 2 workers vs 1 web with its own engine processes; added latency per run, 50 starter runs, light read under load',
    run: async () => {
      execFileSync('scripts/with-postgres.sh', ['npx', 'tsx', 'bench/queue.ts'], { stdio: 'inherit' });
    },
  },
  {
    name: 'Live class: teacher "next" → 200 SSE students, and a light request meanwhile (PGlite, one instance)',
    run: script('bench/live.ts'),
  },
  {
    name: 'Live class: the same on PostgreSQL, teacher and students on two instances (LISTEN/NOTIFY)',
    run: async () => {
      execFileSync('scripts/with-postgres.sh', ['npx', 'tsx', 'bench/live.ts'], { stdio: 'inherit' });
    },
  },
];

for (const section of sections) {
  console.log(`\n## ${section.name}`);
  try {
    await section.run();
  } catch (error) {
    console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
