/**
 * Writing Python source from TypeScript values, and the standard-library BPE check the
 * notebook export puts beside a BPE node.
 *
 *   pyLiteral({ ids: [40, 1842], ok: true, note: null })  // "{'ids': [40, 1842], 'ok': True, 'note': None}"
 *   pyStr('café\n')                                       // "'café\\n'"
 *
 * Strings keep printable characters as they are (so Odia stays readable) and escape everything
 * else (controls, format characters, line and paragraph separators, lone surrogates), so the
 * source survives any editor and compiles in every Python 3.
 *
 * Not handled here: the notebook's cells (notebook.ts); Python that needs a third-party package.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** A single-quoted Python 3 string literal for any JavaScript string (lone surrogates included). */
export function pyStr(text: string): string {
  let out = "'";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp >= 0x80 && PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + "'";
}

export type PyValue = string | number | boolean | null | undefined | readonly PyValue[] | { readonly [key: string]: PyValue };

/** A Python literal for JSON-like data: lists, dicts with string keys, True/False/None. */
export function pyLiteral(value: PyValue): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pyStr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return "float('nan')";
    if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "-float('inf')";
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: PyValue) => pyLiteral(v)).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: PyValue });
  return `{${entries.map(([k, v]) => `${pyStr(k)}: ${pyLiteral(v)}`).join(', ')}}`;
}

/** A Python identifier from a node id: 'bpe-1' → 'bpe_1', '2nd' → 'n_2nd'. */
export function pyName(id: string): string {
  const name = id.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `n_${name}`;
}

export interface StdlibCheck {
  /** tokenizer.json, relative to the notebook's folder. */
  tokenizerPath: string;
  /** The text the lab encoded (a prefix of it for long texts, cut at a word boundary). */
  text: string;
  /** The IDs the lab gave that text. */
  expectedIds: readonly number[];
  /** The script-aware split ([\p{L}\p{M}]+ words) instead of GPT-2's (\p{L}+ words). */
  keepMarks: boolean;
  /** Who gave the expected IDs, for the printed line: 'the lab's trained BPE'. */
  label: string;
}

/** The line the check prints when Python's IDs equal the lab's. */
export const STDLIB_MATCH_LINE = 'MATCH: the standard-library replay gives the same IDs as the lab';

/**
 * A notebook cell that needs only Python's standard library and tokenizer.json: it replays
 * byte-level BPE (GPT-2's byte-to-unicode map, GPT-2's pre-tokenization, merges by rank) and
 * compares the IDs with the lab's, raising AssertionError (exit status 1 as a script) if they
 * differ.
 *
 * The split is GPT-2's regex written out by hand, because Python's `re` has no \p{L}:
 * `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` tried alternative by
 * alternative at each position, with letters and numbers from `unicodedata.category` and `\s` as
 * JavaScript's whitespace set (the lab's). It is exact for every text whose characters Python's
 * Unicode database classifies as the browser's does (all but characters added in the newest
 * Unicode versions). Like the lab's BPE node, it reads a special token's text in the input
 * ("<|endoftext|>") as plain text; HF tokenizers matches it as the added token instead.
 */
export function stdlibCheckCell(check: StdlibCheck): string {
  return `# Needs nothing but Python's standard library and ${check.tokenizerPath}.
import json
import unicodedata

TOKENIZER_FILE = ${pyStr(check.tokenizerPath)}
TEXT = ${pyStr(check.text)}
EXPECTED_IDS = ${pyLiteral(check.expectedIds)}  # ${check.label}
KEEP_MARKS = ${check.keepMarks ? 'True' : 'False'}  # True: vowel signs and viramas stay inside words

with open(TOKENIZER_FILE, encoding='utf-8') as f:
    spec = json.load(f)
vocab = spec['model']['vocab']
ranks = {}
for rank, merge in enumerate(spec['model']['merges']):
    pair = tuple(merge) if isinstance(merge, list) else tuple(merge.split(' ', 1))
    ranks.setdefault(pair, rank)


def bytes_to_unicode():
    """GPT-2's map from the 256 byte values to printable characters (a space becomes 'Ġ')."""
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('\\xa1'), ord('\\xac') + 1)) + list(range(ord('\\xae'), ord('\\xff') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_TO_CHAR = bytes_to_unicode()
# JavaScript's \\s (the lab's regexes run in the browser): WhiteSpace and LineTerminator.
JS_SPACE = set('\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff') | {chr(c) for c in range(0x2000, 0x200b)}


def is_space(ch):
    return ch in JS_SPACE


def is_letter(ch):
    major = unicodedata.category(ch)[0]
    return major == 'L' or (KEEP_MARKS and major == 'M')


def is_number(ch):
    return unicodedata.category(ch)[0] == 'N'


def is_other(ch):
    return not (is_space(ch) or is_letter(ch) or is_number(ch))


CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")


def split_gpt2(text):
    """GPT-2's pre-tokenization regex, one alternative after another, as the regex engine tries them."""
    pieces, i, n = [], 0, len(text)
    while i < n:
        end = next((i + len(c) for c in CONTRACTIONS if text.startswith(c, i)), None)
        if end is None:
            for test in (is_letter, is_number, is_other):  # ' ?\\p{L}+', ' ?\\p{N}+', ' ?[^\\s\\p{L}\\p{N}]+'
                j = i + 1 if text[i] == ' ' and i + 1 < n and test(text[i + 1]) else i
                k = j
                while k < n and test(text[k]):
                    k += 1
                if k > j:
                    end = k
                    break
        if end is None:  # text[i] is whitespace: '\\s+(?!\\S)' gives back the last space before a word, '\\s+' takes one
            k = i
            while k < n and is_space(text[k]):
                k += 1
            end = k if k == n or k - i == 1 else k - 1
        pieces.append(text[i:end])
        i = end
    return pieces


def bpe(word):
    """Merge the adjacent pair with the lowest rank, everywhere in the word, until no pair has a rank."""
    parts = list(word)
    while len(parts) > 1:
        pair = min(zip(parts, parts[1:]), key=lambda p: ranks.get(p, float('inf')))
        if pair not in ranks:
            break
        merged, i = [], 0
        while i < len(parts):
            if i + 1 < len(parts) and (parts[i], parts[i + 1]) == pair:
                merged.append(parts[i] + parts[i + 1])
                i += 2
            else:
                merged.append(parts[i])
                i += 1
        parts = merged
    return parts


def encode(text):
    """Like the lab's BPE node, special tokens' text (<|endoftext|>) is read as plain text here."""
    ids = []
    for piece in split_gpt2(text):
        as_bytes = ''.join(c if not 0xD800 <= ord(c) <= 0xDFFF else '\\ufffd' for c in piece).encode('utf-8')
        ids.extend(vocab[t] for t in bpe(''.join(BYTE_TO_CHAR[b] for b in as_bytes)))
    return ids


ids = encode(TEXT)
if ids != EXPECTED_IDS:
    at = next((i for i, (a, b) in enumerate(zip(ids, EXPECTED_IDS)) if a != b), min(len(ids), len(EXPECTED_IDS)))
    raise AssertionError(f'Python and the lab differ at token {at}: Python {ids[at:at + 6]}, lab {EXPECTED_IDS[at:at + 6]}')
print(f'${STDLIB_MATCH_LINE} ({len(ids)} IDs).')
`;
}
