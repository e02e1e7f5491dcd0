// 24-hex ids in the ObjectId shape: a 4-byte big-endian Unix-seconds prefix
// (ids still sort by creation second) followed by 8 bytes from the CSPRNG, drawn afresh for
// every id. Ids are shown to anyone who ingests an event, so none may hint at another:
// the former per-process prefix plus a counter let a token's `sub` be guessed in a few tries.
import { randomFillSync } from 'node:crypto';

const RANDOM_BYTES = 8;
// One CSPRNG call per 512 ids: ingest mints ids by the thousand.
const pool = Buffer.alloc(RANDOM_BYTES * 512);
let offset = pool.length;

export function newObjectId(nowMs: number = Date.now()): string {
  if (offset + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.toString('hex', offset, offset + RANDOM_BYTES);
  offset += RANDOM_BYTES;
  const seconds = Math.floor(nowMs / 1000) >>> 0;
  return seconds.toString(16).padStart(8, '0') + random;
}

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && value.length === 24 && /^[0-9a-f]{24}$/.test(value);
}
