// Reading watched threat-intel paths, only under INTEL_WATCH_ROOT: a path is resolved with
// symbolic links followed and refused unless it stays inside the root, so the API cannot
// make the server read arbitrary files. A directory contributes its feed files (by
// extension, bounded in count and total bytes), read in name order.
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { IntelFormat } from '@siem/contracts';
import { AppError } from '../errors.ts';

const EXTENSIONS: Readonly<Record<IntelFormat, readonly string[]>> = { csv: ['.csv', '.txt'], stix: ['.json'], misp: ['.json'] };
/** Files of a directory that are not feed files of their format (a MISP feed's index files). */
const SKIPPED_NAMES = new Set(['manifest.json', 'hashes.csv']);

const refused = (message: string) => new AppError('INTEL_PATH_REFUSED', message);

/** The real path of `given` (relative to the root, or absolute), refused when outside the root or missing. */
export async function resolveWatchPath(root: string | undefined, given: string): Promise<string> {
  if (!root) throw refused('Watched paths are off: set INTEL_WATCH_ROOT to the directory feeds are read from');
  if (given.includes('\0')) throw refused('The path contains a NUL character');
  const realRoot = await fs.realpath(root).catch(() => null);
  if (realRoot === null) throw refused('INTEL_WATCH_ROOT does not exist on the server');
  let real: string;
  try {
    real = await fs.realpath(path.resolve(realRoot, given));
  } catch {
    throw refused(`'${given}' does not exist under INTEL_WATCH_ROOT`);
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw refused(`'${given}' is outside INTEL_WATCH_ROOT`);
  return real;
}

export interface FeedFile {
  name: string;
  mtimeMs: number;
  size: number;
}

/** The feed files at a resolved path (the file itself, or a directory's regular files of the format), in name order. */
export async function listFeedFiles(real: string, format: IntelFormat, maxFiles: number): Promise<FeedFile[]> {
  const st = await fs.stat(real);
  if (st.isFile()) return [{ name: real, mtimeMs: st.mtimeMs, size: st.size }];
  if (!st.isDirectory()) return [];
  const names = (await fs.readdir(real))
    .filter((n) => !SKIPPED_NAMES.has(n) && !n.startsWith('.') && EXTENSIONS[format].includes(path.extname(n).toLowerCase()))
    .sort()
    .slice(0, maxFiles);
  const out: FeedFile[] = [];
  for (const n of names) {
    const full = path.join(real, n);
    // lstat: a symbolic link in the directory could point outside the root; it is skipped.
    const s = await fs.lstat(full).catch(() => null);
    if (s?.isFile()) out.push({ name: full, mtimeMs: s.mtimeMs, size: s.size });
  }
  return out;
}

/** What changed-detection compares: every file's name, size and modification time. */
export const signatureOf = (files: readonly FeedFile[]): string => files.map((f) => `${f.name}:${f.size}:${f.mtimeMs}`).join('|');

/** The files' texts, refused past `maxBytes` in all. */
export async function readFeedFiles(files: readonly FeedFile[], maxBytes: number): Promise<string[]> {
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > maxBytes) throw new AppError('INTEL_FEED_INVALID', `The watched files hold ${total} bytes, more than INTEL_IMPORT_MAX_BYTES (${maxBytes})`);
  // O_NOFOLLOW: a file swapped for a symbolic link after it was checked is not followed.
  return Promise.all(
    files.map(async (f) => {
      const handle = await fs.open(f.name, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        return await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    }),
  );
}
