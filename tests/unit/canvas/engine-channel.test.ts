import { describe, expect, it } from 'vitest';
import { answerFromWorker, attachWorker, chooseLocalCorpus, queryEngine } from '@/components/canvas/engine-channel';

/** Just enough of a Worker for the channel: it records what the page posts. */
function recordingWorker() {
  const posted: { type: string; requestId: number }[] = [];
  return { posted, worker: { postMessage: (message: { type: string; requestId: number }) => posted.push(message) } as unknown as Worker };
}

describe('the page’s questions to the engine worker', () => {
  it('answers a question by its request id', async () => {
    const a = recordingWorker();
    attachWorker(a.worker);
    const answer = queryEngine('ids', 'key-1', { page: 0 });
    const { requestId } = a.posted.at(-1)!;
    answerFromWorker({ type: 'query-result', requestId, ok: true, result: { rows: 3 } });
    await expect(answer).resolves.toEqual({ rows: 3 });
  });

  it('refuses with a sentence the questions of a worker that was replaced before it answered', async () => {
    const a = recordingWorker();
    attachWorker(a.worker);
    const query = queryEngine('bpe', 'key-2', { export: 'merges' });
    const file = chooseLocalCorpus(new File(['some text'], 'corpus.txt'));
    expect(a.posted.map((m) => m.type)).toEqual(['query', 'local-corpus']);
    const b = recordingWorker();
    attachWorker(b.worker);
    await expect(query).rejects.toThrow('The engine was restarted before it answered');
    await expect(file).rejects.toThrow('The engine was restarted before it answered');
    // The new worker's own questions are answered as before; a late answer from the old one changes nothing.
    answerFromWorker({ type: 'query-result', requestId: a.posted[0]!.requestId, ok: true, result: 'late' });
    const fresh = queryEngine('bpe', 'key-2', { export: 'merges' });
    answerFromWorker({ type: 'query-result', requestId: b.posted.at(-1)!.requestId, ok: true, result: 'merges.txt' });
    await expect(fresh).resolves.toBe('merges.txt');
  });
});
