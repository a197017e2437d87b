'use client';
/** While a wire is dragged over a port it cannot join, the reason, next to the pointer. */
import { ViewportPortal, useConnection } from '@xyflow/react';
import { connectionRefusal } from '@/nodes/engine/validate';
import { registry } from '@/nodes';

export function ConnectionHint() {
  const connection = useConnection();
  if (!connection.inProgress || !connection.toHandle || !connection.toNode || connection.isValid !== false) return null;
  const from = connection.fromHandle;
  const to = connection.toHandle;
  const source = from.type === 'source' ? { node: connection.fromNode, port: from.id } : { node: connection.toNode, port: to.id };
  const target = from.type === 'source' ? { node: connection.toNode, port: to.id } : { node: connection.fromNode, port: from.id };
  const reason =
    (source.node.id === target.node.id && 'A node cannot feed itself: its output would flow back into its own input.') ||
    (source.node.type &&
      target.node.type &&
      connectionRefusal(registry, { type: source.node.type, port: source.port ?? '' }, { type: target.node.type, port: target.port ?? '' })) ||
    'An output joins an input: drag from a right-side port to a left-side one.';
  return (
    <ViewportPortal>
      <div
        data-testid="connection-hint"
        className="pointer-events-none absolute rounded-md bg-rose-600 px-2 py-1 text-xs text-white shadow"
        style={{ transform: `translate(${connection.to.x + 14}px, ${connection.to.y + 14}px)` }}
      >
        {reason}
      </div>
    </ViewportPortal>
  );
}
