/** /live: type the join code shown on the teacher's screen. */
import { LiveStudent } from '@/components/live/student-view';

export default function LiveJoinPage() {
  return <LiveStudent code="" />;
}
