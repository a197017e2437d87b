/**
 * A saved graph, opened by its link. The browser decides whether it may edit (it holds the
 * secret). An id with no graph (or one that is not a graph id at all) answers HTTP 404 with
 * not-found.tsx; a database that does not answer gets a friendly 200 page without its error.
 */
import { notFound } from 'next/navigation';
import { Lab } from '@/components/canvas/lab';
import { GraphLinkMessage } from '@/components/ui/graph-link-message';
import { loadSavedGraph } from './load-saved-graph';

export const dynamic = 'force-dynamic';

export default async function SavedGraph({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const graph = await loadSavedGraph(id);
  if (graph === 'not-found') notFound(); // throws: Next renders not-found.tsx with status 404
  if (graph === 'unavailable') return <GraphLinkMessage reason="unavailable" />;
  return <Lab initial={graph.doc} graphId={graph.id} />;
}
