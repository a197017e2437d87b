/** The 404 page for /g/<id> when no graph has that id (page.tsx calls notFound()). */
import { GraphLinkMessage } from '@/components/ui/graph-link-message';

export default function GraphNotFound() {
  return <GraphLinkMessage reason="not-found" />;
}
