import { describe, expect, it } from 'vitest';
import type { GraphDoc } from '@/nodes/engine/graph-doc';
import { affinityOf, fingerprintOf } from '@/server/run/run-fingerprint';

function chain(text: string, vocabSize = 300, title = 'a graph'): GraphDoc {
  return {
    schemaVersion: 1,
    title,
    nodes: [
      { id: 't', type: 'text', params: { text }, position: { x: 0, y: 0 } },
      { id: 'b', type: 'bpe', params: { vocabSize }, position: { x: 300, y: 0 } },
    ],
    edges: [{ id: 'e', source: 't', sourcePort: 'text', target: 'b', targetPort: 'text' }],
  };
}

describe('a run’s affinity key', () => {
  it('is the same for graphs that share their root nodes’ settings, and differs when a root’s text does', () => {
    expect(affinityOf(chain('the cat sat', 300))).toBe(affinityOf(chain('the cat sat', 900, 'renamed')));
    expect(affinityOf(chain('the cat sat'))).not.toBe(affinityOf(chain('the cat sat!')));
    // Downstream settings change what the run computes, not where its inputs are cached.
    expect(fingerprintOf(chain('the cat sat', 300))).not.toBe(fingerprintOf(chain('the cat sat', 900)));
  });

  it('stays a short hash for a corpus of megabytes, which every queued job and engine process keeps', () => {
    const key = affinityOf(chain('ଓଡ଼ିଆ ଭାଷା '.repeat(200_000)));
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
