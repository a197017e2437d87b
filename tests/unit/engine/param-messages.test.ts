/**
 * Every param of every node kind, given a wrong value, is refused with a sentence a learner can
 * act on, naming the setting by its label, and the bound the sentence states is the real one:
 * the stated bound itself is accepted, one step past it is refused.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nodeKinds, NODE_TYPES, registry, type NodeType } from '@/nodes';
import { validateGraph } from '@/nodes/engine/validate';
import { paramLabel } from '@/nodes/engine/issue-sentence';

interface Prop {
  type?: string;
  enum?: (string | number)[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

function propsOf(type: NodeType): Record<string, Prop> {
  const json = z.toJSONSchema(nodeKinds[type].params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Prop> };
  return json.properties ?? {};
}

/** The messages validateGraph gives for one param of a lone node of `type`. */
function messagesFor(type: NodeType, field: string, value: unknown): string[] {
  const doc = { schemaVersion: 1 as const, title: 't', nodes: [{ id: 'n', type, params: { [field]: value }, position: { x: 0, y: 0 } }], edges: [] };
  return validateGraph(doc, registry).flatMap((issue) => (issue.code === 'bad-params' && issue.field.split('.')[0] === field ? [issue.message] : []));
}

/** The part after "Title: ". */
function said(type: NodeType, message: string): string {
  const prefix = `${nodeKinds[type].title}: `;
  expect(message.startsWith(prefix), message).toBe(true);
  return message.slice(prefix.length);
}

function expectSentence(text: string) {
  expect(text).toMatch(/^[A-Z0-9]/);
  expect(text).toMatch(/[.!?]$/);
  expect(text).not.toMatch(/Too (small|big)|expected|received|Invalid input|[<>]=|\.\.$/);
}

interface Case {
  type: NodeType;
  field: string;
  prop: Prop;
}
const all: Case[] = NODE_TYPES.flatMap((type) => Object.entries(propsOf(type)).map(([field, prop]) => ({ type, field, prop })));
/** [name, case] rows for it.each, named "bpe.vocabSize". */
const rows = (cases: Case[]) => cases.map((c) => [`${c.type}.${c.field}`, c] as const);

describe('param messages', () => {
  it('covers every param of every kind', () => {
    expect(all.length).toBeGreaterThan(30);
  });

  it.each(rows(all))('%s: a wrong type is refused with a sentence naming the setting', (_name, { type, field, prop }) => {
    const wrong = prop.type === 'string' || prop.enum ? 12345 : 'not this';
    const messages = messagesFor(type, field, wrong);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      const text = said(type, message);
      expectSentence(text);
      expect(text).toContain(paramLabel(nodeKinds[type].params, field));
    }
  });

  it.each(rows(all.filter((c) => c.prop.enum)))('%s: an unknown choice lists the real choices', (_name, { type, field, prop }) => {
    const [message] = messagesFor(type, field, 'surely-not-an-option');
    const text = said(type, message!);
    expectSentence(text);
    for (const option of prop.enum!) expect(text).toContain(String(option));
    for (const option of prop.enum!) expect(messagesFor(type, field, option)).toEqual([]);
  });

  it.each(rows(all.filter((c) => c.prop.minimum !== undefined)))('%s: the minimum it states is the real one', (_name, { type, field, prop }) => {
    const min = prop.minimum!;
    expect(messagesFor(type, field, min)).toEqual([]);
    const [message] = messagesFor(type, field, min - 1);
    const text = said(type, message!);
    expectSentence(text);
    expect(text).toContain(min.toLocaleString('en-US'));
  });

  it.each(rows(all.filter((c) => c.prop.maximum !== undefined)))('%s: the maximum it states is the real one', (_name, { type, field, prop }) => {
    const max = prop.maximum!;
    expect(messagesFor(type, field, max)).toEqual([]);
    const [message] = messagesFor(type, field, max + 1);
    const text = said(type, message!);
    expectSentence(text);
    expect(text).toContain(max.toLocaleString('en-US'));
  });

  it.each(rows(all.filter((c) => c.prop.maxLength !== undefined && c.prop.maxLength <= 1_000_000)))(
    '%s: the length limit it states is the real one',
    (_name, { type, field, prop }) => {
      const max = prop.maxLength!;
      expect(messagesFor(type, field, 'a'.repeat(max))).toEqual([]);
      const [message] = messagesFor(type, field, 'a'.repeat(max + 1));
      const text = said(type, message!);
      expectSentence(text);
      expect(text).toContain(max.toLocaleString('en-US'));
    },
  );

  it('says what a vocabulary must hold, in words', () => {
    const [message] = messagesFor('bpe', 'vocabSize', 100);
    expect(message).toBe('BPE: A vocabulary must hold at least the 256 bytes: pick 256 or more.');
  });

  it('names a renamed node by its own title, and never by its internal id', () => {
    const doc = {
      schemaVersion: 1 as const,
      title: 't',
      nodes: [{ id: 'bpe-e7b92257', type: 'bpe' as const, title: 'Odia', params: { vocabSize: 100 }, position: { x: 0, y: 0 } }],
      edges: [],
    };
    const messages = validateGraph(doc, registry).map((issue) => issue.message);
    expect(messages).toContain('BPE “Odia”: A vocabulary must hold at least the 256 bytes: pick 256 or more.');
    expect(messages.join(' ')).not.toContain('e7b92257');
  });
});
