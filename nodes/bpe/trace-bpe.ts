/**
 * Step-by-step BPE of one pre-token, for the "what does encode() do" inspector.
 *
 *   traceBpePiece(gpt2Encoder, ' lower')
 *   // initial: ['Ġ', 'l', 'o', 'w', 'e', 'r']
 *   // steps: e+r (rank 7)      -> Ġ l o w er
 *   //        Ġ+l (rank 44)     -> Ġl o w er
 *   //        o+w (rank 66)     -> Ġl ow er
 *   //        ow+er (rank 533)  -> Ġl ower
 *   //        Ġl+ower (rank 2537) -> Ġlower
 *   // ids: [2793]
 *
 * Each step lists every adjacent pair that has a merge (with its rank) and the one applied: the
 * lowest rank, at all its positions, left to right. The result equals encoder.encode(piece) for a
 * single pre-token (a test checks this). Kept apart from encode-bpe.ts so that the bulk path
 * never pays for recording.
 *
 * Not handled here: splitting text into pieces (pass one GPT-2 pre-token), special tokens.
 */
import { toByteLevel } from '../pretokenize/byte-level';
import type { BpeEncoder } from './encode-bpe';

export interface BpeTraceCandidate {
  left: string;
  right: string;
  rank: number;
}

export interface BpeTraceStep {
  /** Rank of the merge applied (its line in merges.txt, 0-based). */
  rank: number;
  left: string;
  right: string;
  merged: string;
  mergedId: number;
  /** Token positions (before the step) where the merge applied. */
  positions: number[];
  /** Every adjacent pair that had a merge, lowest rank first. */
  candidates: BpeTraceCandidate[];
  /** Tokens after the step, in ByteLevel form. */
  tokens: string[];
}

export interface BpeTrace {
  piece: string;
  /** One ByteLevel character per UTF-8 byte of the piece. */
  initial: string[];
  steps: BpeTraceStep[];
  ids: number[];
}

export function traceBpePiece(encoder: BpeEncoder, piece: string): BpeTrace {
  const tokens = encoder.model.tokens;
  const initial = [...toByteLevel(piece)];
  let ids = Array.from(new TextEncoder().encode(piece), (b) => encoder.byteIds[b]!);
  const steps: BpeTraceStep[] = [];
  for (;;) {
    const candidates: BpeTraceCandidate[] = [];
    for (let i = 0; i + 1 < ids.length; i++) {
      const rank = encoder.rankOf(ids[i]!, ids[i + 1]!);
      if (rank >= 0 && !candidates.some((c) => c.rank === rank)) {
        candidates.push({ left: tokens[ids[i]!]!, right: tokens[ids[i + 1]!]!, rank });
      }
    }
    if (candidates.length === 0) break;
    candidates.sort((a, b) => a.rank - b.rank);
    const best = candidates[0]!;
    const mergedId = encoder.mergedIdOf(best.rank);
    const positions: number[] = [];
    const next: number[] = [];
    for (let i = 0; i < ids.length; ) {
      if (i + 1 < ids.length && encoder.rankOf(ids[i]!, ids[i + 1]!) === best.rank) {
        positions.push(i);
        next.push(mergedId);
        i += 2;
      } else {
        next.push(ids[i]!);
        i++;
      }
    }
    ids = next;
    steps.push({
      rank: best.rank,
      left: best.left,
      right: best.right,
      merged: tokens[mergedId]!,
      mergedId,
      positions,
      candidates,
      tokens: ids.map((id) => tokens[id]!),
    });
  }
  return { piece, initial, steps, ids };
}
