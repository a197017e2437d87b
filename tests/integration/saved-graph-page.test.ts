/**
 * /g/<id> without a browser: the page's server component is called as Next calls it. An unknown
 * or malformed id makes it call notFound() (Next then answers 404 with not-found.tsx, which
 * shows the same friendly message); a saved id renders the lab. The HTTP status itself is
 * checked by the e2e suite (tests/e2e/sharing.spec.ts), which runs the built app.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('the /g/<id> page', () => {
  beforeAll(() => {
    process.env.PGLITE_DATA_DIR = 'memory://';
  });
  afterAll(async () => {
    const { closeDb } = await import('@/server/db/client');
    await closeDb();
    delete process.env.PGLITE_DATA_DIR;
  });

  it('calls notFound() for an id that was never saved and for one that is not an id', async () => {
    const { default: SavedGraph } = await import('@/app/g/[id]/page');
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', '__proto__']) {
      const error = await SavedGraph({ params: Promise.resolve({ id }) }).then(
        () => null,
        (caught: unknown) => caught as { digest?: string },
      );
      expect(error?.digest).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
    }
  });

  it('shows the friendly message on the 404 page', async () => {
    const { default: GraphNotFound } = await import('@/app/g/[id]/not-found');
    const html = renderToStaticMarkup(GraphNotFound());
    expect(html).toContain('No graph at this link');
    expect(html).toContain('The link may be mistyped, or the graph was never saved on this server.');
  });

  it('loads a saved graph for its id', async () => {
    const { getDb } = await import('@/server/db/client');
    const { createCaller } = await import('@/server/api/root');
    const { loadSavedGraph } = await import('@/app/g/[id]/load-saved-graph');
    const caller = createCaller({ db: await getDb(), headers: new Headers() });
    const doc = { schemaVersion: 1 as const, title: 'Shared', nodes: [], edges: [] };
    const { id } = await caller.graph.create({ doc });
    expect(await loadSavedGraph(id)).toMatchObject({ id, title: 'Shared', doc });
  });
});
