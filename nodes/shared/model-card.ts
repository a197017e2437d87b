/**
 * What a model is, in one line, for the Transformer and Generate inspectors: its size, what it
 * read, and how it does on held-out text against a bigram on the same text, so the comparison
 * with the N-gram node is an honest one.
 *
 *   modelCardLine({ label: 'tokenloom-tiny', layers: 4, heads: 4, width: 192, card: SHIPPED_MODEL.card })
 *   // 'tokenloom-tiny: 4 layers × 4 heads, width 192, 11.5 M parameters · trained on 1.98 M tokens of
 *   //  State of the Union addresses (1790–2021) · held-out perplexity 117.0, a bigram 239.0 on the
 *   //  same 98.7 k tokens (0.49×: lower is better)'
 *
 * Not handled here: measuring anything (the card is written where the model is made: the shipped
 * model's README, the Train model node), hub models' cards (their size is read from config.json
 * by the caller; what they read is not stated here).
 */

export interface ModelCard {
  parameters: number;
  /** What it read, in a few words: '1.98 M tokens of State of the Union addresses'. */
  trainedOn: string;
  /** Perplexity on held-out text it never saw, and a bigram's on the same text; null when not measured. */
  heldOut: { perplexity: number; bigramPerplexity: number; tokens: number } | null;
}

/** 6862464 → '6.86 M', 98701 → '98.7 k', 512 → '512'. */
export function compactCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)} B`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(3)} k`;
  return String(Math.round(n));
}

export function modelCardLine(model: { label: string; layers: number; heads: number; width: number; card?: ModelCard | null }): string {
  const size = model.layers > 0 ? `${model.layers} layers × ${model.heads} heads, width ${model.width}` : 'size not stated';
  const card = model.card;
  if (!card) return `${model.label}: ${size} · what it was trained on is not stated here, and there is no held-out comparison with a bigram`;
  const parts = [`${model.label}: ${size}, ${compactCount(card.parameters)} parameters`, `trained on ${card.trainedOn}`];
  const h = card.heldOut;
  if (h && Number.isFinite(h.perplexity) && Number.isFinite(h.bigramPerplexity)) {
    parts.push(
      `held-out perplexity ${h.perplexity.toFixed(1)}, a bigram ${h.bigramPerplexity.toFixed(1)} on the same ${compactCount(h.tokens)} tokens (${(h.perplexity / h.bigramPerplexity).toFixed(2)}×: lower is better)`,
    );
  } else {
    parts.push('no held-out perplexity measured for these weights');
  }
  return parts.join(' · ');
}
