/**
 * Random ids for the browser: 16 hex digits from crypto.getRandomValues. Not
 * crypto.randomUUID: a class opens the lab at the teacher's LAN address over plain http, which
 * is not a secure context, and there randomUUID does not exist (adding a node would throw).
 */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}
