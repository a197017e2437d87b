'use client';
/**
 * The sections every trained tokenizer's inspector shows alike (BPE, WordPiece, Unigram): the
 * learner's own text as tokens with a count, and the Export buttons that download the trained
 * files (their vocabulary tables are the inspector kit's RowsTable). What each kind trains and
 * how it encodes stay in its own inspector (components/kinds/<kind>/); these hold only the parts
 * that read the same.
 *
 * Not handled here: which files a kind exports (the node answers `{ export: true }` with a map
 * of file name to contents), nor how a token looks (the caller draws the chips).
 */
import type { ReactNode } from 'react';
import { Download } from 'lucide-react';
import { askNode } from '@/components/canvas/use-node-query';
import { useLab } from '@/components/canvas/store';
import { downloadText } from '@/components/canvas/sharing';
import type { NodeType } from '@/nodes';
import { Section } from './inspector-kit';

/** The learner's text as tokens (the chips, drawn by the caller), and how many tokens it took. */
export function YourTextSection({ tokenCount, charCount, unknown, children }: { tokenCount: number; charCount: number; unknown?: string; children: ReactNode }) {
  return (
    <Section title="Your text">
      <div className="flex flex-wrap gap-0.5">{children}</div>
      <p className="text-xs text-slate-500">
        {tokenCount.toLocaleString()} tokens for {charCount.toLocaleString()} characters{unknown ? `; ${unknown}` : ''}.
      </p>
    </Section>
  );
}

/** How a file downloads: its type from its ending. */
function mimeOf(name: string): string {
  if (name.endsWith('.txt')) return 'text/plain';
  if (name.endsWith('.model')) return 'application/octet-stream';
  return 'application/json';
}

/**
 * One button a file: pressing it asks the node for its files and downloads the one named (a
 * binary file comes as `<name>.base64`); tokenizer.json brings its tokenizer_config.json along,
 * as Hugging Face loads the two together. A failure is a toast, never a broken inspector.
 */
export function ExportSection({ nodeId, kind, names, note }: { nodeId: string; kind: NodeType; names: readonly string[]; note: string }) {
  const download = async (name: string) => {
    try {
      const files = (await askNode(nodeId, kind, { export: true })) as Record<string, string>;
      const base64 = files[`${name}.base64`];
      downloadText(name, base64 === undefined ? files[name]! : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), mimeOf(name));
      if (name === 'tokenizer.json') downloadText('tokenizer_config.json', files['tokenizer_config.json']!);
    } catch (e) {
      useLab.getState().showToast(`Export failed: ${(e as Error).message}`);
    }
  };
  return (
    <Section title="Export">
      <div className="flex flex-wrap gap-2">
        {names.map((name) => (
          <button type="button" key={name} className="btn" onClick={() => void download(name)}>
            <Download size={14} /> {name}
          </button>
        ))}
      </div>
      <p className="text-xs text-slate-500">{note}</p>
    </Section>
  );
}
