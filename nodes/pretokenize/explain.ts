/**
 * Teaching data for the Pretokenize inspector: what each mode does in one sentence, and for
 * ByteLevel, which stand-in characters appear in the pieces and which byte each replaces.
 *
 *   byteLevelLegend(['Ġlove', 'Ċ']) // [{ char: 'Ġ', byte: '0x20', meaning: 'space' }, { char: 'Ċ', byte: '0x0A', meaning: 'newline' }]
 */
import { CHAR_TO_BYTE } from './byte-level';
import type { PretokenizeMode } from './pretokenize';

export const MODE_INFO: Record<PretokenizeMode, { label: string; explain: string }> = {
  whitespace: { label: 'Whitespace', explain: 'Splits on runs of spaces, tabs and newlines. Punctuation stays glued to words.' },
  bert: {
    label: 'BERT (whitespace + punctuation)',
    explain: 'Splits on whitespace, then cuts every punctuation character into its own piece, as BERT does before WordPiece.',
  },
  gpt2: {
    label: "GPT-2 regex",
    explain:
      "GPT-2's pattern: contractions ('s, 't…), a run of letters with an optional leading space, a run of digits, a run of symbols, or whitespace. The space belongs to the word after it.",
  },
  gpt4: {
    label: 'GPT-4 regex (cl100k)',
    explain:
      "GPT-4's pattern: like GPT-2's, but contractions match in any case, numbers split into groups of at most 3 digits, and newlines stay apart from other whitespace.",
  },
  'gpt2-marks': {
    label: 'Script-aware (keeps combining marks)',
    explain:
      "GPT-2's pattern with combining marks (Unicode category M) counted as part of a word, so vowel signs and viramas in Odia, Hindi and other Indic scripts stay with their letters.",
  },
  metaspace: {
    label: 'Metaspace ▁ (SentencePiece)',
    explain: 'Replaces each space with ▁ (U+2581), adds one at the start, and starts a new piece at every ▁, as SentencePiece and LLaMA do.',
  },
  bytelevel: {
    label: 'ByteLevel Ġ (GPT-2)',
    explain:
      "GPT-2's regex split, then every piece is written as UTF-8 bytes, each byte shown as one printable character. Byte-level BPE can then spell any text with 256 base tokens and never needs an unknown token.",
  },
};

const BYTE_NAMES: Record<number, string> = { 0x20: 'space', 0x0a: 'newline', 0x09: 'tab', 0x0d: 'carriage return', 0xa0: 'no-break space byte' };

export interface LegendRow {
  char: string;
  byte: string;
  meaning: string;
}

/** The stand-in characters that differ from the byte they replace, as they occur in `shown`. */
export function byteLevelLegend(shown: readonly string[], limit = 24): LegendRow[] {
  const seen = new Map<string, LegendRow>();
  for (const piece of shown) {
    // By code unit: every stand-in is one (U+0100 and up), and a character below U+0100 stands
    // for its own byte, so only the code units from U+0100 need a look-up.
    for (let i = 0; i < piece.length; i++) {
      if (piece.charCodeAt(i) < 0x100) continue;
      if (seen.size >= limit) return [...seen.values()];
      const ch = piece[i]!;
      if (seen.has(ch)) continue;
      const byte = CHAR_TO_BYTE.get(ch);
      if (byte === undefined || byte === ch.charCodeAt(0)) continue;
      seen.set(ch, {
        char: ch,
        byte: `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`,
        meaning: BYTE_NAMES[byte] ?? (byte < 0x20 || byte === 0x7f ? 'control byte' : 'part of a multi-byte UTF-8 character'),
      });
    }
  }
  return [...seen.values()];
}
