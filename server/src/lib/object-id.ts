// 24-hex ids in the ObjectId layout (API.md 2.4): 4-byte Unix seconds, 5 random bytes
// fixed per process, 3-byte counter. Sortable by creation second, unique per process.
import { randomBytes } from 'node:crypto';

const processRandom = randomBytes(5).toString('hex');
let counter = randomBytes(3).readUIntBE(0, 3);

export function newObjectId(nowMs: number = Date.now()): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(nowMs / 1000) >>> 0;
  return seconds.toString(16).padStart(8, '0') + processRandom + counter.toString(16).padStart(6, '0');
}

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && value.length === 24 && /^[0-9a-f]{24}$/.test(value);
}
