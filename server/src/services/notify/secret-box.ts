// Channel secrets at rest: AES-256-GCM with a key derived from the server's signing secret,
// so a copy of the database alone does not hand out webhook tokens and SMTP passwords.
// Values without the prefix (written before, or by tests) are read as they are.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SECRET_FIELDS } from '@siem/contracts';
import type { ChannelKind } from '@siem/contracts';

const PREFIX = 'enc:v1:';

export class SecretUnreadable extends Error {
  constructor() {
    super('the channel\'s secrets cannot be read with this server\'s secret (was SECRET_KEY changed?): enter them again');
    this.name = 'SecretUnreadable';
  }
}

export function createSecretBox(serverSecret: string) {
  const key = createHash('sha256').update(`siem notification secrets\0${serverSecret}`).digest();

  const seal = (value: string): string => {
    if (value === '' || value.startsWith(PREFIX)) return value;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  };

  const open = (value: string): string => {
    if (!value.startsWith(PREFIX)) return value;
    try {
      const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadable();
    }
  };

  /** Applies `fn` to every secret value of a config (header values included). */
  const map = (kind: ChannelKind, config: Record<string, unknown>, fn: (v: string) => string): Record<string, unknown> => {
    const out = { ...config };
    for (const field of SECRET_FIELDS[kind]) {
      const v = out[field];
      if (typeof v === 'string') out[field] = fn(v);
      else if (field === 'headers' && v && typeof v === 'object') {
        out[field] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, h]) => [k, typeof h === 'string' ? fn(h) : h]));
      }
    }
    return out;
  };

  return {
    seal: (kind: ChannelKind, config: Record<string, unknown>) => map(kind, config, seal),
    /** Throws SecretUnreadable when a value was sealed with another key. */
    open: (kind: ChannelKind, config: Record<string, unknown>) => map(kind, config, open),
  };
}
export type SecretBox = ReturnType<typeof createSecretBox>;
