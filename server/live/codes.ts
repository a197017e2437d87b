/**
 * Join codes and display names for live classes.
 *
 * A join code is 6 characters from JOIN_CODE_ALPHABET: capitals and digits without the ones
 * that read alike on a projector (0/O, 1/I/L) — 31 symbols, about 887 million codes. Drawn
 * uniformly by rejection sampling (a byte ≥ 248 = 8 × 31 is dropped, so no symbol is favoured).
 *
 * @example
 * normalizeJoinCode(' k7q-2mz ') // 'K7Q2MZ'
 * normalizeJoinCode('K7Q2M0')    // undefined (0 is never in a code)
 * cleanDisplayName('  Ada\u0000  Lovelace ') // { ok: true, name: 'Ada Lovelace' }
 *
 * Not handled here: uniqueness (the database's index on live codes), guessing limits (join-guesses.ts).
 */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;
export const MAX_DISPLAY_NAME_CHARS = 40;

const CODE_RE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

export function randomJoinCode(): string {
  let code = '';
  const limit = Math.floor(256 / JOIN_CODE_ALPHABET.length) * JOIN_CODE_ALPHABET.length;
  while (code.length < JOIN_CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < limit && code.length < JOIN_CODE_LENGTH) code += JOIN_CODE_ALPHABET[byte % JOIN_CODE_ALPHABET.length];
    }
  }
  return code;
}

/** The code as typed (any case, spaces or dashes between groups) in canonical form, or undefined. */
export function normalizeJoinCode(typed: string): string | undefined {
  if (typed.length > 40) return undefined;
  const code = typed.toUpperCase().replaceAll(/[\s-]/g, '');
  return CODE_RE.test(code) ? code : undefined;
}

export type NameResult = { ok: true; name: string } | { ok: false; message: string };

/**
 * A display name as shown: control and format characters dropped, runs of spaces made one,
 * trimmed, at most 40 characters (code points). Empty is allowed: a name is optional. Pages
 * show it as text (React escapes it), so `<b>` stays the four characters it is.
 */
export function cleanDisplayName(raw: string): NameResult {
  if (raw.length > 4 * MAX_DISPLAY_NAME_CHARS) return { ok: false, message: `A display name is at most ${MAX_DISPLAY_NAME_CHARS} characters.` };
  const name = raw
    .toWellFormed()
    .normalize('NFC')
    .replaceAll(/[\p{Cc}\p{Zl}\p{Zp}]|(?!\u200d)\p{Cf}/gu, '') // the joiner stays: it builds emoji
    .replaceAll(/\s+/gu, ' ')
    .trim();
  if ([...name].length > MAX_DISPLAY_NAME_CHARS) return { ok: false, message: `A display name is at most ${MAX_DISPLAY_NAME_CHARS} characters.` };
  return { ok: true, name };
}
