// Password hashing: Argon2id PHC strings with the OWASP baseline parameters, a check that
// tells when a stored hash was made with other parameters (re-hash on login), and a dummy
// hash so a login for an unknown user costs the same as one for a wrong password.
import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify } from '@node-rs/argon2';
import type { Algorithm } from '@node-rs/argon2';

// The binding declares Algorithm as a const enum, which is types-only here; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

export interface HashParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1. */
export const DEFAULT_HASH_PARAMS: HashParams = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function createPasswordHasher(params: HashParams = DEFAULT_HASH_PARAMS) {
  const options = { ...params, algorithm: ARGON2ID, outputLen: 32 };
  // Made once, at start: an unknown user's login is verified against it.
  const dummy = hash(randomBytes(32).toString('base64'), options);

  return {
    params,
    hash: (password: string) => hash(password, options),

    /** False for a wrong password and for a hash that cannot be parsed. */
    async verify(phc: string, password: string): Promise<boolean> {
      try {
        return await verify(phc, password);
      } catch {
        return false;
      }
    },

    /** The dummy's PHC string: made with the same parameters as real hashes, so it costs the same. */
    dummyHash: () => dummy,

    /** Spends one verification's time and always fails. */
    async verifyDummy(password: string): Promise<false> {
      await verify(await dummy, password).catch(() => false);
      return false;
    },

    needsRehash(phc: string): boolean {
      try {
        const used = parseOptions(phc);
        return (
          used.algorithm !== ARGON2ID ||
          used.memoryCost !== params.memoryCost ||
          used.timeCost !== params.timeCost ||
          used.parallelism !== params.parallelism ||
          used.outputLen !== options.outputLen
        );
      } catch {
        return true;
      }
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
