/**
 * The classes this browser taught, kept so that the teacher keeps control across a reload and
 * can read a class's answers after it ended. Like a graph's edit secret, a class's control
 * secret lives only in this browser (never in a URL): whoever holds it controls the class.
 *
 * - localStorage `tokenloom-live-class:<code>`: one entry per class (its id, code, control
 *   secret, title and start time), keyed by the join code; the newest MAX_KEPT are kept. A
 *   code is unique only among live classes, so a later class with the same code replaces the entry.
 * - sessionStorage `tokenloom-live-current`: the code of the class this tab is teaching now,
 *   so a reload of this tab resumes it and another tab of the lab does not take it over.
 *
 * Not handled here: asking the server whether a class is still live (teacher-live.ts).
 */
export interface TaughtClass {
  classId: string;
  code: string;
  controlSecret: string;
  title: string;
  /** ms since the epoch. */
  startedAt: number;
}

const PREFIX = 'tokenloom-live-class:';
const CURRENT = 'tokenloom-live-current';
const MAX_KEPT = 20;

function parse(raw: string | null): TaughtClass | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<TaughtClass>;
    const ok =
      typeof value.classId === 'string' &&
      typeof value.code === 'string' &&
      typeof value.controlSecret === 'string' &&
      typeof value.title === 'string' &&
      typeof value.startedAt === 'number';
    return ok ? (value as TaughtClass) : undefined;
  } catch {
    return undefined;
  }
}

/** Storage can be unavailable (private modes, quotas): then nothing is kept, and nothing breaks. */
function safely<T>(work: () => T, fallback: T): T {
  try {
    return work();
  } catch {
    return fallback;
  }
}

/** The classes this browser taught, newest first. */
export function taughtClasses(): TaughtClass[] {
  return safely(() => {
    const found: TaughtClass[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(PREFIX)) continue;
      const entry = parse(localStorage.getItem(key));
      if (entry && PREFIX + entry.code === key) found.push(entry);
    }
    return found.sort((a, b) => b.startedAt - a.startedAt);
  }, []);
}

export function taughtClass(code: string): TaughtClass | undefined {
  return safely(() => parse(localStorage.getItem(PREFIX + code)), undefined);
}

/** Keep a class just started, and make it this tab's current class. */
export function rememberClass(entry: TaughtClass): void {
  safely(() => {
    localStorage.setItem(PREFIX + entry.code, JSON.stringify(entry));
    sessionStorage.setItem(CURRENT, entry.code);
    for (const old of taughtClasses().slice(MAX_KEPT)) localStorage.removeItem(PREFIX + old.code);
  }, undefined);
}

export function forgetClass(code: string): void {
  safely(() => {
    localStorage.removeItem(PREFIX + code);
    if (sessionStorage.getItem(CURRENT) === code) sessionStorage.removeItem(CURRENT);
  }, undefined);
}

/** The class this tab was teaching before a reload, if this browser still holds its secret. */
export function currentClass(): TaughtClass | undefined {
  return safely(() => {
    const code = sessionStorage.getItem(CURRENT);
    return code ? taughtClass(code) : undefined;
  }, undefined);
}

export function leaveCurrentClass(): void {
  safely(() => sessionStorage.removeItem(CURRENT), undefined);
}
