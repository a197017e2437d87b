'use client';
/**
 * A long row of chips, drawn only where it can be seen. The chips are cut into blocks of
 * BLOCK_SIZE, each block a wrapping row of its own; @tanstack/react-virtual keeps the blocks in
 * and near the list's scroll box on the page and measures each drawn block's height. A block is
 * memoised on its items' identities, so a keystroke whose view keeps the chips before the edit as
 * the same objects (nodes/engine/view-diff.ts) renders only the blocks from the edit on, and only
 * those that are on screen.
 *
 * A list shorter than VIRTUAL_FROM is one plain wrapping row, as before: short texts (most
 * lessons, the tests' sentences) keep every chip in the page.
 *
 * Not handled here: what a chip looks like (`renderChip`), keyboard navigation between chips.
 */
import { memo, useRef, type ReactNode } from 'react';
import clsx from 'clsx';
import { useVirtualizer } from '@tanstack/react-virtual';

/** Lists of at least this many chips are virtualised. */
export const VIRTUAL_FROM = 300;
const BLOCK_SIZE = 40;
/** A first guess at a block's height (about six rows of chips with offsets), before it is measured. */
const ESTIMATED_BLOCK_PX = 260;

interface ChipListProps<T> {
  items: readonly T[];
  /** A chip; keep the function stable (useCallback), or every block renders again. */
  renderChip: (item: T, index: number) => ReactNode;
  /** The wrapping row's classes (the gap between chips). */
  className?: string;
  /** The scroll box's height when virtualised. */
  maxHeightClass?: string;
  /** Attributes for the outer element (test ids, data-*). */
  attributes?: Record<string, string | number | undefined>;
}

interface BlockProps {
  items: readonly unknown[];
  from: number;
  to: number;
  renderChip: (item: never, index: number) => ReactNode;
  className?: string;
}

function sameBlock(a: BlockProps, b: BlockProps): boolean {
  if (a.from !== b.from || a.to !== b.to || a.renderChip !== b.renderChip || a.className !== b.className) return false;
  for (let i = a.from; i < a.to; i++) if (a.items[i] !== b.items[i]) return false;
  return true;
}

const ChipBlock = memo(function ChipBlock({ items, from, to, renderChip, className }: BlockProps) {
  const chips: ReactNode[] = [];
  for (let i = from; i < to; i++) chips.push(renderChip(items[i] as never, i));
  return <div className={className}>{chips}</div>;
}, sameBlock);

export function ChipList<T>({ items, renderChip, className = 'flex flex-wrap gap-1', maxHeightClass = 'max-h-96', attributes }: ChipListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = items.length >= VIRTUAL_FROM;
  const blocks = virtual ? Math.ceil(items.length / BLOCK_SIZE) : 0;
  const virtualizer = useVirtualizer({
    count: blocks,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_BLOCK_PX,
    overscan: 1,
  });
  const render = renderChip as BlockProps['renderChip'];
  if (!virtual) {
    return (
      <div className={className} {...attributes}>
        <ChipBlock items={items} from={0} to={items.length} renderChip={render} className="contents" />
      </div>
    );
  }
  return (
    <div ref={scroller} className={clsx('overflow-y-auto', maxHeightClass)} data-virtual-chips="" {...attributes}>
      <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => (
          <div
            key={row.key}
            data-index={row.index}
            ref={virtualizer.measureElement}
            className="absolute top-0 left-0 w-full pb-1"
            style={{ transform: `translateY(${row.start}px)` }}
          >
            <ChipBlock
              items={items}
              from={row.index * BLOCK_SIZE}
              to={Math.min(items.length, (row.index + 1) * BLOCK_SIZE)}
              renderChip={render}
              className={className}
            />
          </div>
        ))}
      </div>
    </div>
  );
}
