/**
 * What the live-class tests share: a three-step lesson (a step without a question, a number and
 * a choice), a follower that records every state it is sent, and a check that a call is refused
 * with a given tRPC code.
 */
import { TRPCClientError } from '@trpc/client';
import { expect } from 'vitest';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import type { ApiClient as LiveClient } from '@/trpc/client';
import type { LiveState } from '@/server/live/live-state';

export function lessonDoc(): GraphDoc {
  return {
    schemaVersion: 1,
    title: 'Live lesson',
    nodes: [
      { id: 'text', type: 'text', params: { text: 'I love NLP' }, position: { x: 0, y: 0 } },
      { id: 'gpt2', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 300, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'text', sourcePort: 'text', target: 'gpt2', targetPort: 'text' }],
    lesson: {
      steps: [
        { nodeId: 'text', question: 'What do we start from?', note: 'Plain text.', lookAt: '' },
        {
          nodeId: 'gpt2',
          question: 'How many tokens?',
          note: 'NLP is two tokens.',
          lookAt: 'The chips.',
          prediction: { prompt: 'How many tokens will GPT-2 use for “I love NLP”?', measure: 'token-count', options: [] },
        },
        { nodeId: 'gpt2', question: 'Same IDs?', note: '', lookAt: '', prediction: { prompt: 'Yes or no?', measure: 'id-is-frequency', options: [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }] } },
      ],
      controls: { hidePalette: false, lockGraph: false, visibleParams: {} },
    },
  };
}

/** A follower that records every state it receives and can wait for one that matches. */
export function follow(client: LiveClient, input: { classId: string; controlSecret?: string; lastEventId?: string }) {
  const states: LiveState[] = [];
  const ids: string[] = [];
  let error: unknown;
  let completed = false;
  const waiters = new Set<() => void>();
  const poke = () => waiters.forEach((w) => w());
  const subscription = client.live.follow.subscribe(input, {
    onData: (event) => {
      ids.push(event.id);
      states.push(event.data);
      poke();
    },
    onError: (e) => {
      error = e;
      poke();
    },
    onComplete: () => {
      completed = true;
      poke();
    },
  });
  const until = (test: (s: LiveState) => boolean, what: string, timeoutMs = 10_000) =>
    new Promise<LiveState>((resolve, reject) => {
      const check = () => {
        const found = states.find(test);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        } else if (error) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(states.map((s) => [s.seq, s.step, s.revealed, s.status]))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { states, ids, until, stop: () => subscription.unsubscribe(), get error() { return error; }, get completed() { return completed; } };
}

export async function refused(promise: Promise<unknown>, code: string): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  expect((error as { data?: { code?: string } }).data?.code).toBe(code);
  return (error as Error).message;
}
