/**
 * What the hostile suites feed the lab and how they judge the answer: garbled graph documents
 * as fast-check arbitraries, and `expectUserFacing`, which fails a message that echoes
 * internals (stack frames, SQL, zod issue JSON, a document's text). Shared by
 * tests/unit/engine/hostile.test.ts and the integration hostile suites.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

/** Names that live on Object.prototype: a plain `record[name]` lookup finds them. */
export const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'] as const;

/** A value nested `depth` arrays deep: [[[…'x'…]]]. */
export function nestedArrays(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Strings of arbitrary UTF-16 code units: lone surrogates, U+0000, astral pairs. */
export const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.constantFrom('', '\u0000', '\uD800', '\uDC00x\uD800', 'I love NLP', 'ଓଡ଼ିଆ', '😀', ...PROTO_NAMES),
);

const name = fc.oneof(fc.constantFrom(...PROTO_NAMES, 'text', 'pretokens', 'pieces', 'x'), fc.string({ maxLength: 8 }));
const nodeType = fc.oneof(fc.constantFrom(...PROTO_NAMES, 'text', 'clean', 'pretokenize', 'note', 'sparkle'), fc.string({ maxLength: 8 }));

/** Params: mostly plausible for text/clean/pretokenize, with hostile keys and values mixed in. */
const params = fc.oneof(
  fc.record(
    {
      text: anyText,
      origin: fc.string({ maxLength: 10 }),
      mode: fc.constantFrom('bytelevel', 'gpt2', 'whitespace', 'bert', 'metaspace', 'nope'),
      form: fc.constantFrom('NFC', 'NFKC', 'none', 'NFX'),
      replacePattern: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('(a+)+$', '(?<=a)b', '(a)\\1', '.', '\\p{L}+', '(')),
      replaceWith: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('$&', '$1', '$<n>', '$`')),
      lowercase: fc.oneof(fc.boolean(), fc.integer()),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(name, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const position = fc.oneof(fc.record({ x: fc.integer(), y: fc.integer() }), fc.jsonValue({ maxDepth: 1 }));

/** A node entry: usually the right shape with hostile contents, sometimes not an object at all. */
const nodeEntry = (ids: readonly string[]) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.record({ id: fc.constantFrom(...ids), type: nodeType, params, position }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );

const edgeEntry = (ids: readonly string[]) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ id: fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ minLength: 1, maxLength: 4 })), source: fc.constantFrom(...ids), sourcePort: name, target: fc.constantFrom(...ids), targetPort: name }),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );

/** A garbled graph document: right-ish shape, wrong types, proto names, broken Unicode. */
export const garbledDoc: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(['a', 'b', 'c'], ['__proto__', 'constructor', 'x'], ['toString', 'a'])
      .chain((ids) =>
        fc.record(
          {
            schemaVersion: fc.oneof(fc.constant(1), fc.constant(0), fc.jsonValue({ maxDepth: 0 })),
            title: fc.oneof(anyText, fc.jsonValue({ maxDepth: 1 })),
            nodes: fc.oneof({ weight: 5, arbitrary: fc.array(nodeEntry(ids), { maxLength: 5 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
            edges: fc.oneof({ weight: 5, arbitrary: fc.array(edgeEntry(ids), { maxLength: 5 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
          },
          { requiredKeys: ['nodes'] },
        ),
      ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
);

/**
 * A message a user may see: a non-empty sentence about their graph, never internals.
 * `forbidden` lists document text that must not be echoed (a save's text, for instance).
 */
export function expectUserFacing(message: string, forbidden: readonly string[] = []): void {
  expect(typeof message).toBe('string');
  expect(message.length).toBeGreaterThan(0);
  expect(message).not.toMatch(/^\s*at .+\(.*:\d+:\d+\)/m); // stack frame
  expect(message).not.toMatch(/\n\s+at /);
  expect(message).not.toMatch(/Failed query|\b(INSERT INTO|SELECT .+ FROM|UPDATE "|DELETE FROM)\b/i); // SQL
  expect(message).not.toMatch(/"code":\s*"|"path":\s*\[|"expected":/); // zod issue JSON
  expect(message).not.toMatch(/Cannot read properties of|is not a function|undefined \(reading/);
  for (const text of forbidden) if (text.length >= 8) expect(message).not.toContain(text);
}
