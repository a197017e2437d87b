/**
 * JSON Lines corpora: one JSON object per line, the text in one of its fields.
 *
 *   const scan = scanJsonl('{"text":"a","id":1}\n{"text":"b"}');
 *   scan.fields                        // [{ name: 'text', count: 2 }]   (string fields only)
 *   extractJsonlField(raw, 'text')     // 'a\nb'
 *
 * Not handled here: nested fields (only top-level string fields are offered), JSON arrays.
 */

export interface JsonlScan {
  records: number;
  fields: { name: string; count: number }[];
  errors: { line: number; message: string }[];
}

function* records(raw: string): Generator<{ line: number; value?: unknown; error?: string }> {
  const lines = raw.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      yield { line: i + 1, value: JSON.parse(line) };
    } catch (e) {
      yield { line: i + 1, error: e instanceof Error ? e.message : String(e) };
    }
  }
}

export function scanJsonl(raw: string, maxErrors = 5): JsonlScan {
  const counts = new Map<string, number>();
  const errors: JsonlScan['errors'] = [];
  let n = 0;
  for (const r of records(raw)) {
    if (r.error !== undefined) {
      if (errors.length < maxErrors) errors.push({ line: r.line, message: r.error });
      continue;
    }
    if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) {
      if (errors.length < maxErrors) errors.push({ line: r.line, message: 'not a JSON object' });
      continue;
    }
    n++;
    for (const [k, v] of Object.entries(r.value)) if (typeof v === 'string') counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return {
    records: n,
    fields: [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count),
    errors,
  };
}

/** The chosen field of every record that has it as a string, one record per line. */
export function extractJsonlField(raw: string, field: string): string {
  const out: string[] = [];
  for (const r of records(raw)) {
    const v = (r.value as Record<string, unknown> | undefined)?.[field];
    if (typeof v === 'string') out.push(v);
  }
  return out.join('\n');
}
