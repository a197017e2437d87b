/**
 * SentencePiece (Debian's `sentencepiece` package, 0.1.97: spm_train, spm_encode) as the Unigram
 * reference, with the settings our trainer reproduces written out:
 *   --model_type=unigram --num_threads=1 --normalization_rule_name=identity
 * and everything else at spm's defaults (character_coverage 0.9995, max_sentencepiece_length 16,
 * seed_sentencepiece_size 1e6, shrinking_factor 0.75, num_sub_iterations 2, split_by_whitespace,
 * split_by_unicode_script, add_dummy_prefix, remove_extra_whitespaces, max_sentence_length 4192).
 *
 * Not handled here: assertions (the *.test.ts files).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SPM_SETTINGS = ['--model_type=unigram', '--num_threads=1', '--normalization_rule_name=identity'];

export interface SpmRun {
  /** [piece, score] by id, as the .vocab file lists them. */
  pieces: [string, number][];
  /** spm_encode's ids for each line. */
  encode(lines: readonly string[]): number[][];
  /** The .model file's bytes. */
  model: Buffer;
  dispose(): void;
}

export function trainWithSpm(corpus: string, vocabSize: number, extra: string[] = []): SpmRun {
  const dir = mkdtempSync(join(tmpdir(), 'tokenloom-spm-'));
  const input = join(dir, 'corpus.txt');
  writeFileSync(input, corpus);
  const prefix = join(dir, 'm');
  try {
    execFileSync('spm_train', [`--input=${input}`, `--model_prefix=${prefix}`, `--vocab_size=${vocabSize}`, ...SPM_SETTINGS, ...extra], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const pieces = readFileSync(`${prefix}.vocab`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line): [string, number] => {
      const tab = line.lastIndexOf('\t');
      return [line.slice(0, tab), Number(line.slice(tab + 1))];
    });
  return {
    pieces,
    model: readFileSync(`${prefix}.model`),
    encode(lines) {
      const file = join(dir, 'heldout.txt');
      writeFileSync(file, lines.join('\n') + '\n');
      const out = execFileSync('spm_encode', [`--model=${prefix}.model`, '--output_format=id', `--input=${file}`], { maxBuffer: 1 << 28 }).toString();
      return out.split('\n').slice(0, lines.length).map((l) => (l.trim() ? l.trim().split(' ').map(Number) : []));
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
