// Access tokens: compact JWS signed with SECRET_KEY. Verification pins HS256
// (so `none` and every other algorithm fail), requires sub/iat/exp, allows no clock leeway
// and refuses an `iat` in the future. A token carries the account's token version (`ver`):
// a password change increments it, which revokes every token issued before.
import { webcrypto } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import type { Role } from '@siem/contracts';
import { AppError } from '../errors.ts';

export interface TokenSubject {
  id: string;
  username: string;
  role: Role;
  /** The account's token version; tokens of an older version are refused. */
  token_version?: number;
}

export interface VerifiedToken {
  sub: string;
  /** 0 for tokens issued before versions existed. */
  version: number;
}

export function createTokenService(opts: { secret: string; expirationHours: number; now?: () => number }) {
  // Imported once: jose would otherwise import the raw secret on every verification.
  const key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(opts.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const lifetime = opts.expirationHours * 3600;
  const nowSeconds = () => Math.floor((opts.now ?? Date.now)() / 1000);

  async function verifyClaims(token: string, now: number): Promise<VerifiedToken> {
    const { payload } = await jwtVerify(token, await key, {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'iat', 'exp'],
      clockTolerance: 0,
      // Also rejects an iat in the future, and tokens older than the configured
      // lifetime whatever their own exp says.
      maxTokenAge: lifetime,
      currentDate: new Date(now * 1000),
    });
    if (typeof payload.sub !== 'string') throw new errors.JWTInvalid('sub must be a string');
    const ver = payload.ver ?? 0;
    if (typeof ver !== 'number' || !Number.isInteger(ver)) throw new errors.JWTInvalid('ver must be an integer');
    return { sub: payload.sub, version: ver };
  }

  /** The user id and token version; AppError 401 for anything not issued by us and unexpired. */
  async function verifyToken(token: string): Promise<VerifiedToken> {
    try {
      return await verifyClaims(token, nowSeconds());
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new AppError('AUTH_TOKEN_EXPIRED', 'Invalid or expired token');
      throw new AppError('AUTH_TOKEN_INVALID', 'Invalid or expired token');
    }
  }

  return {
    async issue(user: TokenSubject): Promise<string> {
      const iat = nowSeconds();
      return new SignJWT({ username: user.username, role: user.role, ver: user.token_version ?? 0 })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.id)
        .setIssuedAt(iat)
        .setExpirationTime(iat + lifetime)
        .sign(await key);
    },

    /** The user id the token names; AppError 401 for anything not issued by us and unexpired. */
    async verify(token: string): Promise<string> {
      return (await verifyToken(token)).sub;
    },

    verifyToken,
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
