/**
 * GPT-2's official IDs for a text (transformers.js, the shipped tokenizer.json), line by line
 * with the lines remembered, for the faithful-chain badge: a keystroke changes one line, so only
 * that line is encoded again.
 *
 *   officialGpt2Ids(gpt2, 'I love NLP\nTokens')  // [40, 1842, 399, 19930, 198, 22906, 641]
 *   // = encode('I love NLP\n') then encode('Tokens'), the second line from memory next time
 *
 * Why cutting there gives the whole text's IDs: GPT-2 has no normalizer and adds no special
 * tokens; its pre-tokenizer regex always ends a piece between a lone newline (no whitespace
 * before it) and a following non-space character, the newline alone being the same piece at the
 * end of a line, and it cuts from there on as if the text started there; BPE never merges across pieces; the literal `<|endoftext|>` holds no
 * newline. A property test checks the equality against one whole encode.
 *
 * Not handled here: other tokenizers (their normalizers and post-processors are not line-local).
 */
import type { PretrainedTokenizer } from '../pretrained/pretrained';

/** Lines remembered per tokenizer (bounded: cleared when full). */
const LINES_KEPT = 20_000;
const memo = new WeakMap<PretrainedTokenizer, Map<string, readonly number[]>>();

/**
 * Where a new line starts: after a '\n' with no whitespace before it and none after it. (After a
 * longer whitespace run, the run at the end of a line alone would keep its last character, which
 * the whole text gives to the next piece.)
 */
const CUT = /(?<!\s)\n(?=\S)/gu;

export function officialGpt2Ids(loaded: PretrainedTokenizer, text: string): number[] {
  let lines = memo.get(loaded);
  if (!lines) memo.set(loaded, (lines = new Map()));
  const core = loaded.tokenizer._tokenizer;
  const ids: number[] = [];
  let start = 0;
  const take = (end: number) => {
    const line = text.slice(start, end);
    let lineIds = lines.get(line);
    if (!lineIds) {
      if (lines.size >= LINES_KEPT) lines.clear();
      lines.set(line, (lineIds = core.encode(line, { add_special_tokens: true }).ids));
    }
    for (const id of lineIds) ids.push(id);
    start = end;
  };
  for (const m of text.matchAll(CUT)) take(m.index + 1);
  if (start < text.length || text.length === 0) take(text.length);
  return ids;
}
