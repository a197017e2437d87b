/**
 * What /g/<id> shows, decided on the server: the saved graph, 'not-found' for an id with no
 * graph or one that is not a graph id at all, or 'unavailable' when the database fails (its
 * error is not shown: it may quote SQL). Kept out of page.tsx, which may export only what Next
 * allows a page to export.
 */
import { TRPCError } from '@trpc/server';
import { serverCaller } from '@/trpc/server';

export async function loadSavedGraph(id: string) {
  try {
    return await (await serverCaller()).graph.get({ id });
  } catch (error) {
    return error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST') ? 'not-found' : 'unavailable';
  }
}
