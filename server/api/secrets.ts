/**
 * Random ids and secrets, and the check of a secret against its stored hash: shared by graph
 * edit secrets (graph-router.ts) and live-class control secrets (server/live/).
 * A secret is 256 random bits, so a fast hash (sha256) suffices; only the hash is stored.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function randomBase64Url(byteCount: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(byteCount))).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time: compares fixed-length digests, so timing says nothing about the secret. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
