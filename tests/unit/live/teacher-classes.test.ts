/**
 * The teacher's kept classes (components/live/teacher-classes.ts) on a Map-backed Storage, as a
 * browser's localStorage and sessionStorage behave: what a reload finds, and what it ignores.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentClass, forgetClass, leaveCurrentClass, rememberClass, taughtClass, taughtClasses, type TaughtClass } from '@/components/live/teacher-classes';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  failing = false;
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    if (this.failing) throw new Error('SecurityError: storage is disabled');
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    if (this.failing) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
}

const entry = (code: string, startedAt: number): TaughtClass => ({ classId: `id-${code}`.padEnd(22, 'x'), code, controlSecret: `secret-${code}`, title: `Lesson ${code}`, startedAt });

let local: MemoryStorage;
let session: MemoryStorage;

beforeEach(() => {
  local = new MemoryStorage();
  session = new MemoryStorage();
  Object.assign(globalThis, { localStorage: local, sessionStorage: session });
});

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'localStorage');
  Reflect.deleteProperty(globalThis, 'sessionStorage');
});

describe('the classes a teacher’s browser keeps', () => {
  it('finds the class this tab was teaching after a reload, and lists every class newest first', () => {
    rememberClass(entry('AAAAAA', 1));
    rememberClass(entry('BBBBBB', 3));
    expect(currentClass()?.code).toBe('BBBBBB');
    expect(taughtClasses().map((c) => c.code)).toEqual(['BBBBBB', 'AAAAAA']);
    // Another tab (a fresh sessionStorage) sees the classes but teaches none of them.
    session.clear();
    expect(currentClass()).toBeUndefined();
    expect(taughtClass('AAAAAA')?.controlSecret).toBe('secret-AAAAAA');
  });

  it('leaves a class without forgetting its secret, and forgets it when asked', () => {
    rememberClass(entry('CCCCCC', 1));
    leaveCurrentClass();
    expect(currentClass()).toBeUndefined();
    expect(taughtClass('CCCCCC')).toBeDefined();
    rememberClass(entry('DDDDDD', 2));
    forgetClass('DDDDDD');
    expect(currentClass()).toBeUndefined();
    expect(taughtClasses().map((c) => c.code)).toEqual(['CCCCCC']);
  });

  it('keeps the newest 20 classes', () => {
    for (let i = 0; i < 25; i++) rememberClass(entry(`K${String(i).padStart(5, '0')}`, i));
    const kept = taughtClasses();
    expect(kept).toHaveLength(20);
    expect(kept.at(-1)?.code).toBe('K00005');
  });

  it('ignores entries that are not JSON, lack a field, or sit under another code’s key', () => {
    local.setItem('tokenloom-live-class:EEEEEE', '{not json');
    local.setItem('tokenloom-live-class:FFFFFF', JSON.stringify({ ...entry('FFFFFF', 1), controlSecret: 7 }));
    local.setItem('tokenloom-live-class:GGGGGG', JSON.stringify(entry('HHHHHH', 1)));
    local.setItem('tokenloom-live-class:', 'null');
    session.setItem('tokenloom-live-current', 'EEEEEE');
    expect(taughtClasses()).toEqual([]);
    expect(currentClass()).toBeUndefined();
  });

  it('keeps nothing and throws nothing when storage is disabled', () => {
    local.failing = true;
    session.failing = true;
    expect(() => rememberClass(entry('JJJJJJ', 1))).not.toThrow();
    expect(taughtClasses()).toEqual([]);
    expect(currentClass()).toBeUndefined();
    Reflect.deleteProperty(globalThis, 'localStorage'); // server-side rendering: no storage at all
    expect(taughtClasses()).toEqual([]);
  });
});
