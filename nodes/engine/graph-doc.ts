/**
 * GraphDoc: the versioned JSON document a graph is saved, shared and executed as.
 *
 * Params are stored by name. Loading runs migrations first, then validates the shape
 * with zod. Semantic checks (unknown node types, port kinds, cycles) live in validate.ts.
 * Not handled here: node-specific params (each node kind's schema checks its own).
 */
import { z } from 'zod';
import { predictionSchema } from './lesson-prediction';
import { issueSentence } from './issue-sentence';

export const CURRENT_SCHEMA_VERSION = 1;

/** Limits that keep a document shareable; the server enforces its own byte limit too. */
export const GRAPH_LIMITS = { nodes: 300, edges: 1000, idLength: 64, titleLength: 200, nodeTitleLength: 60 } as const;

const id = z.string().min(1).max(GRAPH_LIMITS.idLength);

export const graphNodeSchema = z.object({
  id,
  type: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }),
  /** The node's own title ("Corpus", "Base model"), shown instead of its kind's; set by renaming it. */
  title: z.string().max(GRAPH_LIMITS.nodeTitleLength).optional(),
  /** Only notes use a size; other nodes size to their content. */
  size: z.object({ width: z.number().positive(), height: z.number().positive() }).optional(),
});

export const graphEdgeSchema = z.object({
  id,
  source: id,
  sourcePort: z.string().min(1).max(64),
  target: id,
  targetPort: z.string().min(1).max(64),
});

export const lessonStepSchema = z.object({
  nodeId: id,
  question: z.string().max(500),
  note: z.string().max(4000).default(''),
  lookAt: z.string().max(1000).default(''),
  /** A question students answer before the reveal, its true answer read from the running graph. */
  prediction: predictionSchema.optional(),
});

/** Teacher controls in the spirit of TensorFlow Playground's flags. */
export const lessonControlsSchema = z.object({
  /** Hide the node palette: students use the graph as built. */
  hidePalette: z.boolean().default(false),
  /** Lock the graph: nodes cannot be moved, wired or deleted; params can still be changed. */
  lockGraph: z.boolean().default(false),
  /** Per node id, the only params its settings show; nodes not listed show all. */
  visibleParams: z.record(z.string(), z.array(z.string().max(64)).max(50)).default({}),
});

export const lessonSchema = z.object({
  steps: z.array(lessonStepSchema).max(100),
  controls: lessonControlsSchema.default({ hidePalette: false, lockGraph: false, visibleParams: {} }),
});

export const graphDocSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  title: z.string().max(GRAPH_LIMITS.titleLength).default('Untitled graph'),
  nodes: z.array(graphNodeSchema).max(GRAPH_LIMITS.nodes),
  edges: z.array(graphEdgeSchema).max(GRAPH_LIMITS.edges),
  lesson: lessonSchema.optional(),
  /** Where the graph runs when opened: the browser's worker (default) or the server. */
  runOn: z.enum(['browser', 'server']).optional(),
});

export type GraphDoc = z.output<typeof graphDocSchema>;
export type GraphNode = GraphDoc['nodes'][number];
export type GraphEdge = GraphDoc['edges'][number];
export type Lesson = z.output<typeof lessonSchema>;
export type LessonStep = Lesson['steps'][number];
export type LessonControls = Lesson['controls'];

/**
 * Migrations, keyed by the version they upgrade *from*. Each takes the raw JSON of that
 * version and returns the raw JSON of the next one.
 *
 * Version 0 is the shape of a React Flow `toObject()` export (nodes with `data.params`,
 * edges with `sourceHandle`/`targetHandle`), which is what a user gets by copying the canvas
 * state out of the devtools: we accept it so such a file imports instead of failing.
 */
const migrations: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  0: (raw) => {
    const nodes = Array.isArray(raw.nodes) ? raw.nodes : [];
    const edges = Array.isArray(raw.edges) ? raw.edges : [];
    return {
      schemaVersion: 1,
      title: typeof raw.title === 'string' ? raw.title : 'Imported graph',
      nodes: nodes.map((n: Record<string, unknown>) => ({
        id: n.id,
        type: n.type,
        params: (n.data as Record<string, unknown> | undefined)?.params ?? {},
        position: n.position,
      })),
      edges: edges.map((e: Record<string, unknown>) => ({
        id: e.id,
        source: e.source,
        sourcePort: e.sourceHandle,
        target: e.target,
        targetPort: e.targetHandle,
      })),
    };
  },
};

export type LoadResult = { ok: true; doc: GraphDoc; migratedFrom?: number } | { ok: false; message: string };

/** "null", "the number 1", "a list": what a JSON value is, for a sentence. */
function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the value ${String(value)}`;
  if (value === undefined) return 'missing';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * One sentence per entry of `nodes` or `edges` that is not a JSON object, naming its index
 * (nodes[2] is "Node 2"), at most 5 of them. Checked before migrations, which read fields of
 * every entry: `{ schemaVersion: 0, nodes: [1, null, "x"] }` gets three sentences, not a crash.
 */
function malformedEntries(value: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [field, name] of [['nodes', 'Node'], ['edges', 'Edge']] as const) {
    const list = value[field];
    if (list !== undefined && !Array.isArray(list)) {
      found.push(`The graph's ${field} must be a list, but it is ${describeJsonValue(list)}.`);
      continue;
    }
    for (const [index, entry] of (list ?? []).entries()) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        found.push(`${name} ${index} is not an object: it is ${describeJsonValue(entry)}, where ${field === 'nodes' ? 'a node' : 'an edge'} with an id was expected.`);
      }
    }
  }
  return found.length > 5 ? [...found.slice(0, 5), `…and ${found.length - 5} more malformed entries.`] : found;
}

/** Migrate then validate an untrusted value (a file, a URL hash, a request body). */
export function loadGraphDoc(raw: unknown): LoadResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, message: 'This is not a Tokenloom graph: expected a JSON object with nodes and edges.' };
  }
  let value = raw as Record<string, unknown>;
  const declared = value.schemaVersion;
  // No schemaVersion is a React Flow export (version 0). Any other non-number ("1") is refused:
  // read as version 0, a current graph's params would be dropped by the migration.
  let version = typeof declared === 'number' ? declared : declared === undefined ? 0 : Number.NaN;
  if (!Number.isInteger(version) || version < 0) {
    const given = typeof declared === 'string' ? JSON.stringify(declared.length > 20 ? `${declared.slice(0, 20)}…` : declared) : String(declared);
    return { ok: false, message: `This graph has an invalid schemaVersion (${given}): it must be a whole number.` };
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      message: `This graph was made by a newer Tokenloom (schema ${version}; this one reads up to ${CURRENT_SCHEMA_VERSION}).`,
    };
  }
  const malformed = malformedEntries(value);
  if (malformed.length > 0) return { ok: false, message: `This graph cannot be read. ${malformed.join(' ')}` };
  const from = version;
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = migrations[version];
    if (!step) return { ok: false, message: `No migration from graph schema ${version}.` };
    value = step(value);
    version += 1;
  }
  const parsed = graphDocSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: describeZodError(parsed.error, value) };
  return from === CURRENT_SCHEMA_VERSION ? { ok: true, doc: parsed.data } : { ok: true, doc: parsed.data, migratedFrom: from };
}

/**
 * "The graph is malformed: node 'clean-1' (clean): position.x must be a number." and "This graph
 * has 3,000 nodes; Tokenloom opens graphs of up to 300." rather than a zod dump.
 */
function describeZodError(error: z.ZodError, value: Record<string, unknown>): string {
  const first = error.issues[0];
  if (!first) return 'The graph is malformed.';
  const [head, index, ...rest] = first.path;
  if (first.code === 'too_big' && first.path.length === 1 && (head === 'nodes' || head === 'edges')) {
    const given = Array.isArray(value[head]) ? (value[head] as unknown[]).length : 0;
    return `This graph has ${given.toLocaleString('en-US')} ${head}; Tokenloom opens graphs of up to ${Number(first.maximum).toLocaleString('en-US')}.`;
  }
  if ((head === 'nodes' || head === 'edges') && typeof index === 'number') {
    const item = (value[head] as Array<Record<string, unknown>> | undefined)?.[index];
    const name = head === 'nodes' ? 'node' : 'edge';
    const label = item && typeof item.id === 'string' ? `'${item.id}'` : `#${index + 1}`;
    const kind = head === 'nodes' && item && typeof item.type === 'string' ? ` (${item.type})` : '';
    const field = rest.length ? rest.join('.') : `the ${name}`;
    return `The graph is malformed: ${name} ${label}${kind}: ${lowerFirst(issueSentence(field, first))}`;
  }
  const field = first.path.length ? first.path.join('.') : 'the graph';
  return `The graph is malformed: ${lowerFirst(issueSentence(field, first))}`;
}

/** "Position.x must…" → "position.x must…": a field path reads as written in the document. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
