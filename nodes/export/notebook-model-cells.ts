/**
 * The cells of the nodes that run a model: Transformer (top-k next tokens, checked against the
 * lab), Generate (the continuation; greedy is checked, sampled text is printed beside the lab's)
 * and Fine-tune (the same recipe in torch, losses printed beside the lab's).
 */
import { pyLiteral, pyName, pyStr } from './python';
import { modelExpr, nodeHeading, plural, viewFor, type CellContext, type NotebookInput, type NotebookWriter } from './notebook-writer';
import type { GraphNode } from '../engine/graph-doc';

/** The Transformer node's cells. */
export function writeTransformer(c: CellContext) {
  const { w, input, node, v, params, tag, wired, modelTokenizer } = c;
  const view = viewFor(input, node, 'transformer');
  const ids = wired(node.id, 'ids') ?? '[]';
  const mask = ids.replace(/_ids$/, '_attention_mask');
  const model = modelExpr(w, wired(node.id, 'model'), params);
  const k = Number(params.topK ?? 5);
  const first = view?.topK[0];
  w.markdown(nodeHeading(node, first ? `the most likely next tokens were ${first.candidates.map((c) => `${pyStr(c.token)} (${(c.prob * 100).toFixed(1)}%)`).join(', ')}.` : null), tag);
  w.code(
    [
      `${v}_model = ${model}`,
      `${v}_input = [i for i, m in zip(${ids}, ${mask}) if m][-${v}_model.config.n_positions:]`,
      `${v}_top = top_k_next(${v}_model, ${v}_input, ${k})`,
      `${v}_tokenizer = ${modelTokenizer()}`,
      `for token_id, prob in ${v}_top:`,
      `    print(f'{token_id:>6}  {${v}_tokenizer.convert_ids_to_tokens(token_id)!r:<16} {prob:.4f}')`,
    ].join('\n'),
    tag,
  );
  if (first) {
    w.code(
      [
        `expected_top = ${pyLiteral(first.candidates.map((c) => [c.id, c.prob]))}  # (id, probability) in the lab`,
        `assert [i for i, _ in ${v}_top] == [i for i, _ in expected_top], f'Python ranks {[i for i, _ in ${v}_top]}, the lab {[i for i, _ in expected_top]}'`,
        `assert all(abs(p - q) < 1e-3 for (_, p), (_, q) in zip(${v}_top, expected_top)), 'the probabilities differ from the lab by more than 0.001'`,
        `print('Python agrees with the lab: the same top-${first.candidates.length}.')`,
      ].join('\n'),
      `${tag}-check`,
    );
  }
}

/** The Generate node's cells. */
export function writeGenerate(c: CellContext) {
  const { w, input, node, v, params, tag, wired, modelTokenizer } = c;
  const view = viewFor(input, node, 'generate');
  const ids = wired(node.id, 'ids') ?? '[]';
  const mask = ids.replace(/_ids$/, '_attention_mask');
  const model = modelExpr(w, wired(node.id, 'model'), params);
  const greedy = params.strategy !== 'sample';
  const sampling = greedy
    ? 'do_sample=False'
    : `do_sample=True, temperature=${Number(params.temperature ?? 1)}, top_k=${Number(params.topK ?? 50)}, top_p=${Number(params.topP ?? 1)}`;
  w.markdown(
    nodeHeading(node, view ? `${plural(view.steps.length, 'new token')} (${view.strategy}): ${pyStr(view.text.slice(0, 160))}` : null) +
      (greedy ? '' : '\n\nSampling draws random numbers; the lab’s generator is not torch’s, so the same seed gives different text here. The lab’s text is printed for comparison.'),
    tag,
  );
  w.code(
    [
      `${v}_model = ${model}`,
      `${v}_prompt = torch.tensor([[i for i, m in zip(${ids}, ${mask}) if m]])`,
      `torch.manual_seed(${Number(params.seed ?? 42)})`,
      `${v}_out = ${v}_model.generate(${v}_prompt, attention_mask=torch.ones_like(${v}_prompt), max_new_tokens=${Number(params.maxNewTokens ?? 30)}, ${sampling},`,
      `    eos_token_id=${params.stopAtEos === false ? 'None' : `${v}_model.config.eos_token_id`}, pad_token_id=${v}_model.config.eos_token_id)`,
      `${v}_ids = ${v}_out[0].tolist()`,
      `${v}_attention_mask = [1] * len(${v}_ids)`,
      `${v}_new = ${v}_ids[${v}_prompt.shape[1]:]`,
      `print(${modelTokenizer()}.decode(${v}_new))`,
    ].join('\n'),
    tag,
  );
  if (view) {
    const expected = view.steps.map((s) => s.id);
    w.code(
      greedy
        ? `expected_new = ${pyLiteral(expected)}\nassert ${v}_new == expected_new, f'Python wrote {${v}_new[:10]}, the lab {expected_new[:10]}'\nprint('Python agrees with the lab: the same ${expected.length} new tokens.')`
        : `expected_new = ${pyLiteral(expected)}\nprint('The lab wrote:', ${pyStr(view.text.slice(0, 500))})\nprint('Same tokens as the lab:', ${v}_new == expected_new)`,
      `${tag}-check`,
    );
  }
}

export function writeFinetune(
  w: NotebookWriter,
  input: NotebookInput,
  node: GraphNode,
  params: Record<string, unknown>,
  wired: (nodeId: string, port: string) => string | undefined,
  model: string,
  modelTokenizer: string,
) {
  const v = pyName(node.id);
  const tag = `finetune-${node.id}`;
  const view = viewFor(input, node, 'finetune');
  const text = wired(node.id, 'text') ?? "''";
  const watchTok = wired(node.id, 'tokenizer');
  const answer = view
    ? `${plural(view.steps, 'step')}; the fine-tune loss went from ${view.history[0]?.fineTuneLoss.toFixed(3) ?? '?'} to ${view.history.at(-1)?.fineTuneLoss.toFixed(3) ?? '?'}, and the watched IDs ${view.watch.identical ? 'did not change' : 'changed'}.`
    : null;
  w.markdown(
    nodeHeading(node, answer) +
      '\n\nA short `torch` training loop with the lab’s settings. The lab trains in the browser with its own arithmetic and random numbers, so the losses here are close to the lab’s, not equal; they are printed side by side.',
    tag,
  );
  w.code(
    [
      `${v}_model = ${model}`,
      `${v}_tok = ${modelTokenizer}`,
      `${v}_watch_before = ${watchTok ? `${watchTok}` : `${v}_tok`}(${pyStr(String(params.watchText ?? ''))}, add_special_tokens=False)['input_ids']`,
      `${v}_data = ${v}_tok(${text}, add_special_tokens=False)['input_ids']`,
      `${v}_data = ${v}_data * (${Number(params.seqLength ?? 32)} // max(1, len(${v}_data)) + 2) if len(${v}_data) <= ${Number(params.seqLength ?? 32)} else ${v}_data  # short texts repeat`,
      `SEQ, BATCH, STEPS = ${Number(params.seqLength ?? 32)}, ${Number(params.batchSize ?? 4)}, ${Number(params.steps ?? 20)}`,
      `${v}_gen = torch.Generator().manual_seed(${Number(params.seed ?? 1)})`,
      ...(params.freezeEmbedding ? [`${v}_model.transformer.wte.weight.requires_grad_(False)  # frozen, and with it the tied output layer`] : []),
      `${v}_opt = torch.optim.Adam([p for p in ${v}_model.parameters() if p.requires_grad], lr=${Number(params.learningRate ?? 1e-3)})`,
      `${v}_model.train()`,
      `${v}_losses = []`,
      `for step in range(STEPS):`,
      `    starts = torch.randint(0, max(1, len(${v}_data) - SEQ), (BATCH,), generator=${v}_gen).tolist()`,
      `    batch = torch.tensor([${v}_data[s:s + SEQ] for s in starts])`,
      `    loss = ${v}_model(batch, labels=batch).loss`,
      `    ${v}_opt.zero_grad()`,
      `    loss.backward()`,
      `    ${v}_opt.step()`,
      `    ${v}_losses.append(loss.item())`,
      `${v}_model.eval()`,
      `${v}_watch_after = ${watchTok ? `${watchTok}` : `${v}_tok`}(${pyStr(String(params.watchText ?? ''))}, add_special_tokens=False)['input_ids']`,
      `print('batch losses:', [round(x, 3) for x in ${v}_losses])`,
    ].join('\n'),
    tag,
  );
  if (view) {
    w.code(
      [
        `expected_watch_ids = ${pyLiteral(view.watch.before.map((p) => p.id))}`,
        `lab_losses = ${pyLiteral(view.history.map((h) => (h.batchLoss === null ? null : Number(h.batchLoss.toFixed(4)))))}`,
        `print('lab batch losses:', lab_losses)`,
        `assert ${v}_watch_before == ${v}_watch_after == expected_watch_ids, 'the token IDs changed'`,
        `print('Python agrees with the lab: training changed the weights, not the token IDs', expected_watch_ids)`,
      ].join('\n'),
      `${tag}-check`,
    );
  }
}
