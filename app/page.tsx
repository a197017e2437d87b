import { Lab } from '@/components/canvas/lab';
import { STARTER_GRAPH } from '@/components/canvas/starter';

export default function Home() {
  return <Lab initial={STARTER_GRAPH} />;
}
