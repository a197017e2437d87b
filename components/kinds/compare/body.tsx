'use client';
/** The Compare node's body on the canvas: what is worth seeing without opening the inspector. */
import type { BodyProps } from '../types';

export function CompareBody({ view: v }: BodyProps<'compare'>) {
  if (!v) return <p className="text-xs text-slate-500">…</p>;
  return (
    <table className="w-full text-[11px]">
      <tbody>
        {v.rows.map((row, i) => (
          <tr key={row.label}>
            <td className="pr-1 font-medium whitespace-nowrap">{row.label}</td>
            <td className="truncate font-mono text-slate-600 dark:text-slate-300" style={{ maxWidth: 150 }}>
              {v.kinds[i]?.ids.slice(0, 10).join(' ')}
            </td>
            <td className="pl-1 text-right text-slate-500">{(v.kinds[i]?.textTokens ?? row.tokenCount).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
