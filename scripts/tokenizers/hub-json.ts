/**
 * What the tokenizer builders share: deterministic JSON in the Hub's layout, checksums, npm
 * package facts, and the added-token entries of tokenizer.json and tokenizer_config.json.
 *
 * Not handled here: any one tokenizer (gpt2.ts, bert.ts, tinyllama.ts), writing files
 * (scripts/build-tokenizers.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NODE_MODULES = join(ROOT, 'node_modules');

// ---------------------------------------------------------------------------------------------
// Deterministic JSON. JSON.stringify puts integer-like keys ("0", "10") before all other keys,
// which would scramble a vocab's id order; a Map keeps the order we give it.

export type Json = null | boolean | number | string | Json[] | JsonObject | Map<string, Json>;
export interface JsonObject {
  [key: string]: Json;
}

/**
 * Serialise with two-space indentation, keys in insertion order (Maps included).
 *
 *   toJson(new Map([['b', 1], ['0', 2]])) === '{\n  "b": 1,\n  "0": 2\n}'
 */
export function toJson(value: Json, indent = ''): string {
  const inner = indent + '  ';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + toJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

export function sha256(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface PackageInfo {
  name: string;
  version: string;
  license: string;
}

export function packageInfo(name: string): PackageInfo {
  const pkg = JSON.parse(readFileSync(join(NODE_MODULES, name, 'package.json'), 'utf8')) as Record<string, unknown>;
  return { name, version: String(pkg.version), license: String(pkg.license) };
}

/** An added token as `tokenizer.json` lists it. */
export function addedToken(id: number, content: string, normalized: boolean): JsonObject {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized, special: true };
}

/** The same token as `tokenizer_config.json`'s `added_tokens_decoder` lists it. */
export function addedTokenDecoderEntry(content: string, normalized: boolean): JsonObject {
  return { content, lstrip: false, normalized, rstrip: false, single_word: false, special: true };
}

export interface BuiltTokenizer {
  folder: string;
  tokenizerJson: Json;
  tokenizerConfig: Json;
  source: PackageInfo;
  inputs: string[];
  note: string;
}
