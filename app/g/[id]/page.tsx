import { TRPCError } from '@trpc/server';
import { Lab } from '@/components/canvas/lab';
import { createCaller } from '@/server/api/root';
import { getDb } from '@/server/db/client';

export const dynamic = 'force-dynamic';

/** A saved graph, opened by its link. The browser decides whether it may edit (it holds the secret). */
export default async function SavedGraph({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let graph;
  try {
    const caller = createCaller({ db: await getDb(), headers: new Headers() });
    graph = await caller.graph.get({ id });
  } catch (error) {
    const notFound = error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST');
    return (
      <main className="mx-auto grid max-w-xl gap-3 p-10">
        <h1 className="text-2xl font-semibold">{notFound ? 'No graph at this link' : 'This graph cannot be loaded right now'}</h1>
        <p>
          {notFound
            ? 'The link may be mistyped, or the graph was never saved on this server.'
            : `The database did not answer (${error instanceof Error ? error.message : String(error)}). Try again in a moment.`}
        </p>
        <a className="text-sky-700 underline" href="/">
          Open the lab
        </a>
      </main>
    );
  }
  return <Lab initial={graph.doc} graphId={graph.id} />;
}
