/**
 * Regular expressions that a user types (Clean's replace pattern), run on RE2 semantics with
 * `re2js`, so matching is linear in the text: `(a+)+$` on "a"×40 + "b" answers at once instead
 * of freezing the engine the way V8's backtracking RegExp does.
 *
 *   const re = compileUserRegex('(\\w+)@(\\w+)');        // throws UserRegexError on a bad pattern
 *   replaceAllWithinBudget(re, 'ann@example', '$2:$1');   // 'example:ann'
 *   userRegexRefusal('(?<=a)b')                           // 'Lookbehind (?<=…) is not supported: …'
 *
 * The pattern is written in JavaScript syntax (checked by V8's parser with the `u` flag, which
 * only parses and never runs it), then translated to RE2 syntax by re2js. Constructs RE2 cannot
 * run in linear time (backreferences, lookahead, lookbehind) are refused by name rather than
 * left to RE2's terse parse errors. Replacement strings keep String.prototype.replace's rules
 * (`$&`, `$1`, `$<name>`, `` $` ``, `$'`, `$$`); re2js's replaceAll implements exactly those.
 *
 * Hand-written here, because re2js has no such thing: the size of a replacement's result is
 * computed from the matches before any of it is built (`replacedLength`), so a replacement
 * that would make a 250 MB string is refused instead of allocated. A V8 string past ~512 MB is a
 * fatal error that takes the whole process down, worker thread or not (ARCHITECTURE §6).
 *
 * Not handled here: the small differences between JavaScript's and RE2's classes (RE2's `\s`
 * is ASCII whitespace only, its `.` excludes only `\n`), flags other than Unicode mode, and
 * patterns from tokenizer files (those are ours or the hub's, not typed by a user).
 */
import { RE2JS } from 're2js';

/**
 * Most UTF-16 code units a node may output as one text (64 million, about 128 MB in memory).
 * Far above any corpus the lab works on (the server's run input limit is 20 MB), far below
 * V8's ~512 MB string ceiling.
 */
export const MAX_TEXT_OUTPUT_CHARS = 64_000_000;

/** A message about the user's pattern or replacement, written as a sentence for them. */
export class UserRegexError extends Error {
  override name = 'UserRegexError';
}

const LINEAR = 'patterns run on a linear-time engine (RE2 semantics) so that no pattern can freeze the lab';

/** Constructs that parse as JavaScript but that RE2 refuses, with the sentence that names them. */
function unsupportedConstruct(pattern: string): string | null {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && next >= '1' && next <= '9') {
        const digits = /^\d+/.exec(pattern.slice(i + 1, i + 4))?.[0] ?? next;
        return `Backreference \\${digits} is not supported: ${LINEAR}, and a backreference needs backtracking. To reuse what a group matched, use $1 in "Replace with".`;
      }
      if (!inClass && next === 'k' && pattern[i + 2] === '<') {
        return `Named backreference \\k<…> is not supported: ${LINEAR}, and a backreference needs backtracking.`;
      }
      i++; // skip the escaped character
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const head = pattern.slice(i + 2, i + 4);
      if (head.startsWith('=')) return `Lookahead (?=…) is not supported: ${LINEAR}, and that engine has no lookaround.`;
      if (head.startsWith('!')) return `Negative lookahead (?!…) is not supported: ${LINEAR}, and that engine has no lookaround.`;
      if (head === '<=') return `Lookbehind (?<=…) is not supported: ${LINEAR}, and that engine has no lookaround.`;
      if (head === '<!') return `Negative lookbehind (?<!…) is not supported: ${LINEAR}, and that engine has no lookaround.`;
    }
  }
  return null;
}

/**
 * Compile a user's pattern for RE2, or throw a UserRegexError whose message a beginner can act
 * on. The pattern is matched in Unicode mode, as `new RegExp(pattern, 'gu')` would.
 */
export function compileUserRegex(pattern: string): RE2JS {
  try {
    new RegExp(pattern, 'u'); // syntax check only: V8 parses here and never runs the pattern
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
    throw new UserRegexError(`The replace pattern is not a valid regular expression: ${why}`);
  }
  const unsupported = unsupportedConstruct(pattern);
  if (unsupported) throw new UserRegexError(unsupported);
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    throw new UserRegexError(`The replace pattern cannot run on the linear-time engine (RE2 semantics): ${why}.`);
  }
}

/** Why this pattern would be refused, or null when it compiles; for zod refinements. */
export function userRegexRefusal(pattern: string): string | null {
  if (pattern === '') return null;
  try {
    compileUserRegex(pattern);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** A replacement template reduced to what its expansion's length depends on. */
interface TemplateShape {
  literal: number;
  whole: number;
  before: number;
  after: number;
  groups: Map<number | string, number>;
}

/**
 * Parse a replacement the way re2js's JS mode (ECMAScript GetSubstitution) expands it, counting
 * each kind of reference. Worked example, pattern with one group:
 *   shapeOf('<$1$10$&$$>', 1, false) // literal 4 ('<', '0', '$', '>'), whole 1, groups {1: 2}
 */
function shapeOf(replacement: string, groupCount: number, hasNamedGroups: boolean): TemplateShape {
  const shape: TemplateShape = { literal: 0, whole: 0, before: 0, after: 0, groups: new Map() };
  const addGroup = (key: number | string) => shape.groups.set(key, (shape.groups.get(key) ?? 0) + 1);
  const isDigit = (c: number) => c >= 48 && c <= 57;
  let i = 0;
  while (i < replacement.length) {
    const dollar = replacement.indexOf('$', i);
    if (dollar < 0) break;
    shape.literal += dollar - i;
    i = dollar;
    const next = replacement[i + 1];
    if (next === '$' || next === '&' || next === '`' || next === "'") {
      if (next === '$') shape.literal += 1;
      else if (next === '&') shape.whole += 1;
      else if (next === '`') shape.before += 1;
      else shape.after += 1;
      i += 2;
    } else if (next !== undefined && isDigit(next.charCodeAt(0))) {
      let digits = 1;
      let index = next.charCodeAt(0) - 48;
      const c2 = replacement.charCodeAt(i + 2);
      if (isDigit(c2) && index * 10 + c2 - 48 <= groupCount) {
        digits = 2;
        index = index * 10 + c2 - 48;
      }
      if (index >= 1 && index <= groupCount) addGroup(index);
      else shape.literal += 1 + digits;
      i += 1 + digits;
    } else if (next === '<' && hasNamedGroups && replacement.indexOf('>', i + 2) >= 0) {
      const gt = replacement.indexOf('>', i + 2);
      addGroup(replacement.slice(i + 2, gt));
      i = gt + 1;
    } else {
      // '$<' without a closing '>' counts as the literal '$' then '<' read as text
      shape.literal += 1;
      i += 1;
    }
  }
  shape.literal += replacement.length - i;
  return shape;
}

/**
 * The length, in UTF-16 code units, of `text` with every match of `re` replaced by
 * `replacement`, computed from match positions without building any of it.
 */
export function replacedLength(re: RE2JS, text: string, replacement: string): number {
  const names = re.namedGroups();
  const hasNamedGroups = Object.keys(names).length > 0;
  const shape = shapeOf(replacement, re.groupCount(), hasNamedGroups);
  const groups = [...shape.groups].filter(([key]) => typeof key === 'number' || Object.hasOwn(names, key));
  const matcher = re.matcher(text);
  let length = text.length;
  while (matcher.find()) {
    const start = matcher.start();
    const end = matcher.end();
    length += shape.literal - (end - start) + shape.whole * (end - start) + shape.before * start + shape.after * (text.length - end);
    for (const [key, count] of groups) {
      const group = matcher.group(key);
      if (group !== null) length += count * group.length;
    }
  }
  return length;
}

function describeChars(chars: number): string {
  return chars >= 1e6 ? `${(chars / 1e6).toFixed(1)} million characters` : `${chars.toLocaleString('en-US')} characters`;
}

/**
 * `text.replace(re, replacement)` for every match, on RE2, refused with a UserRegexError before
 * anything is allocated when the result would exceed `budget` code units.
 */
export function replaceAllWithinBudget(re: RE2JS, text: string, replacement: string, budget = MAX_TEXT_OUTPUT_CHARS): string {
  const length = replacedLength(re, text, replacement);
  if (length > budget) {
    throw new UserRegexError(
      `This replacement would make a text of ${describeChars(length)}; a node may output at most ${describeChars(budget)}. Use a shorter "Replace with" or a narrower pattern.`,
    );
  }
  return re.matcher(text).replaceAll(replacement);
}
