/**
 * "Which pieces does each tokenizer have that the others lack?" for tokenizers trained on the
 * canvas, compared by the text a token stands for, not by how its vocabulary writes it:
 * BPE's 'Ġthe', WordPiece's 'the' and Unigram's '▁the' are all 'the' (word start), and '##ing'
 * and 'ing' are both 'ing'. Case is ignored, since a WordPiece vocabulary may be lowercased.
 *
 *   surfaceOf({ kind: 'unigram', … }, '▁The')   // 'the'
 *   onlyIn([bpeRef, wpRef])   // [['tion', …], ['##ment' as 'ment', …]]: longest first
 *
 * Not handled here: pretrained tokenizers (their vocabularies are not the learner's corpus).
 */
import { fromByteLevel } from '../pretokenize/byte-level';
import type { TokenizerRef } from '../shared/tokenizer-ref';

type Trained = Extract<TokenizerRef, { kind: 'bpe' | 'wordpiece' | 'unigram' }>;

export function isTrained(ref: TokenizerRef): ref is Trained {
  return ref.kind === 'bpe' || ref.kind === 'wordpiece' || ref.kind === 'unigram';
}

/** The text a vocabulary entry stands for, trimmed and lowercased; '' for specials and byte pieces. */
function surfaces(ref: Trained): string[] {
  switch (ref.kind) {
    case 'bpe': {
      const specials = new Set(ref.model.specialTokens.map((t) => t.id));
      return ref.model.tokens.map((t, id) => {
        if (specials.has(id)) return '';
        const text = fromByteLevel(t);
        return text.includes('\uFFFD') ? '' : text.trim().toLowerCase();
      });
    }
    case 'wordpiece': {
      const specials = new Set(ref.model.specialTokens.map((t) => t.id));
      const { prefix } = ref.model;
      return ref.model.tokens.map((t, id) => (specials.has(id) ? '' : (t.startsWith(prefix) ? t.slice(prefix.length) : t).toLowerCase()));
    }
    case 'unigram':
      return ref.model.pieces.map((p) => (p.kind === 'normal' ? p.piece.replaceAll('\u2581', ' ').trim().toLowerCase() : ''));
  }
}

/** For each tokenizer, the multi-character pieces none of the others has, longest first. */
export function onlyIn(refs: readonly Trained[], limit = 15): string[][] {
  const sets = refs.map((ref) => new Set(surfaces(ref).filter((s) => [...s].length >= 2)));
  return sets.map((mine, i) => {
    const others = sets.filter((_, j) => j !== i);
    return [...mine]
      .filter((s) => others.every((o) => !o.has(s)))
      .sort((a, b) => [...b].length - [...a].length || (a < b ? -1 : 1))
      .slice(0, limit);
  });
}
