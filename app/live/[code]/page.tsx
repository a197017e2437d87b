/** A live class, opened by its join link or QR code: join, then follow the teacher (components/live). */
import { LiveStudent } from '@/components/live/student-view';

export default async function LiveClassPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  // Only the code's own characters reach the page; the server checks the code itself on join.
  return <LiveStudent code={code.replaceAll(/[^A-Za-z0-9]/g, '').slice(0, 12).toUpperCase()} />;
}
