/**
 * The page a share link shows when it cannot open a graph: no graph at this id (the 404 page,
 * app/g/[id]/not-found.tsx) or the database not answering (app/g/[id]/page.tsx). Server-safe:
 * no hooks, no client code. Never shows an error's own message (it may quote SQL).
 */
export function GraphLinkMessage({ reason }: { reason: 'not-found' | 'unavailable' }) {
  return (
    <main className="mx-auto grid max-w-xl gap-3 p-10">
      <h1 className="text-2xl font-semibold">{reason === 'not-found' ? 'No graph at this link' : 'This graph cannot be loaded right now'}</h1>
      <p>
        {reason === 'not-found'
          ? 'The link may be mistyped, or the graph was never saved on this server.'
          : 'The database did not answer. Try again in a moment.'}
      </p>
      <a className="text-sky-700 underline" href="/">
        Open the lab
      </a>
    </main>
  );
}
