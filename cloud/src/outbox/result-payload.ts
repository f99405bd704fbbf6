import crypto from 'node:crypto';
import { RESULT_NOTICE } from '@heihe/shared';

/** JSON with the keys of every object in sorted order: the form a result's hash is taken of. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** What every result that leaves the agency states: the model it was made under and as of when. */
export interface ResultContent {
  modelVersion: number | null;
  asOf: string;
  [field: string]: unknown;
}

/**
 * sha256 over the canonical JSON of a result's content (every field but `hash` and `notice`): a
 * receiver recomputes it to check that what it holds is what was sent.
 */
export function resultHash(content: ResultContent | Record<string, unknown>): string {
  return crypto.createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** A result as it is pushed or pulled: its content, the content's hash and the advisory notice. */
export function sealResult<T extends ResultContent>(content: T): T & { hash: string; notice: typeof RESULT_NOTICE } {
  return { ...content, hash: resultHash(content), notice: RESULT_NOTICE };
}
