// Accounts: credential rules, the auth and admin request bodies and
// the User / Token / ProfileUpdate shapes (7.1-7.3). Pure zod so the web client validates
// forms with exactly the rules the server enforces.
import { z } from 'zod';
import { IdSchema, RoleSchema, paginationQuery } from './common.ts';
import type { Role } from './common.ts';

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 8;
/** Argon2 hashes any length; a cap keeps a huge "password" from being an amplification vector. */
export const PASSWORD_MAX = 256;
const EMAIL_MAX = 254;
const LOCAL_MAX = 64;
const LABEL_MAX = 63;

/** RFC 6761 / 7686 special-use names: no mail is ever delivered there. */
const SPECIAL_USE_DOMAINS = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'];

// RFC 5322 atext, plus any non-ASCII letter, mark or digit (internationalized addresses).
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\p{L}\p{M}\p{N}]+$/u;
const LOCAL_BAD_CHARS = /[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.\p{L}\p{M}\p{N}]/gu;
const DOMAIN_LABEL = /^[a-z0-9\p{L}\p{M}\p{N}](?:[a-z0-9\-\p{L}\p{M}\p{N}]*[a-z0-9\p{L}\p{M}\p{N}])?$/u;
const DOMAIN_BAD_CHARS = /[^a-z0-9\-.\p{L}\p{M}\p{N}]/gu;
// `Display Name <addr>` or `"Quoted, Name" <addr>`: only the address is kept.
const DISPLAY_FORM = /^\s*(?:"(?:[^"\\]|\\.)*"|[^<>"]*?)\s*<([^<>]*)>\s*$/;

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

const distinct = (matches: RegExpMatchArray | null) => [...new Set(matches ?? [])].join('');

/**
 * Checks an address the way the API asks (syntax, a dotted domain, no special-use
 * domain) and returns its normalized form: display name dropped, domain lowercased.
 */
export function checkEmail(input: string): EmailCheck {
  const bad = (reason: string): EmailCheck => ({ ok: false, reason });
  const display = DISPLAY_FORM.exec(input);
  const address = (display ? display[1]! : input).trim().normalize('NFC');
  if (address === '') return bad('An email address cannot be empty.');
  const at = address.lastIndexOf('@');
  if (at < 0) return bad('An email address must have an @-sign.');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  if (local === '') return bad('There must be something before the @-sign.');
  if (domain === '') return bad('There must be something after the @-sign.');
  if (address.length > EMAIL_MAX) return bad(`The email address is too long (${address.length - EMAIL_MAX} characters too many).`);

  if (local.startsWith('"')) return bad('Quoting the part before the @-sign is not allowed here.');
  if (local.length > LOCAL_MAX) return bad(`The email address is too long before the @-sign (${local.length - LOCAL_MAX} characters too many).`);
  const localBad = distinct(local.match(LOCAL_BAD_CHARS));
  if (localBad) return bad(`The email address contains invalid characters before the @-sign: ${JSON.stringify(localBad)}.`);
  if (local.startsWith('.')) return bad('An email address cannot start with a period.');
  if (local.endsWith('.')) return bad('An email address cannot have a period immediately before the @-sign.');
  if (local.includes('..')) return bad('An email address cannot have two periods in a row.');
  if (!local.split('.').every((atom) => LOCAL_ATOM.test(atom))) return bad('The part before the @-sign is not valid.');

  if (domain.startsWith('[')) return bad('A bracketed IP address after the @-sign is not allowed here.');
  const domainBad = distinct(domain.match(DOMAIN_BAD_CHARS));
  if (domainBad) return bad(`The part after the @-sign contains invalid characters: ${JSON.stringify(domainBad)}.`);
  if (!domain.includes('.')) return bad('The part after the @-sign is not valid. It should have a period.');
  if (domain.startsWith('.')) return bad('An email address cannot have a period immediately after the @-sign.');
  if (domain.endsWith('.')) return bad('An email address cannot end with a period.');
  if (domain.includes('..')) return bad('An email address cannot have two periods in a row.');
  const labels = domain.split('.');
  for (const label of labels) {
    if (label.length > LABEL_MAX) return bad(`After the @-sign, periods cannot be separated by so many characters (${label.length - LABEL_MAX} characters too many).`);
    if (!DOMAIN_LABEL.test(label)) return bad('An email address cannot have a hyphen at the start or end of a part after the @-sign.');
  }
  if (/^[0-9]+$/.test(labels.at(-1)!)) return bad('The part after the @-sign is not valid. It is not within a valid top-level domain.');
  if (SPECIAL_USE_DOMAINS.some((s) => domain === s || domain.endsWith(`.${s}`))) {
    return bad('The part after the @-sign is a special-use or reserved name that cannot be used with email.');
  }
  return { ok: true, email: `${local}@${domain}` };
}

/** Control (Cc) and format (Cf: zero-width, bidi overrides...) characters hide what a name shows. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/** The stored form of a username: NFKC (fullwidth and styled letters become plain ones), trimmed. */
export const normalizeUsername = (value: string): string => value.normalize('NFKC').trim();

export const UsernameSchema = z
  .string()
  .transform(normalizeUsername)
  .pipe(
    z
      .string()
      .min(USERNAME_MIN)
      .max(USERNAME_MAX)
      .refine((v) => !INVISIBLE.test(v), { message: 'Username cannot contain control or invisible formatting characters' }),
  );
export const PasswordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);
/** A password being checked (login, current password): any length up to the cap. */
const PresentedPasswordSchema = z.string().max(PASSWORD_MAX);

export const EmailSchema = z.string().transform((value, ctx) => {
  const result = checkEmail(value);
  if (result.ok) return result.email;
  ctx.addIssue({ code: 'custom', message: `value is not a valid email address: ${result.reason}`, params: { type: 'value_error' } });
  return z.NEVER;
});

export const RegisterBodySchema = z.object({ username: UsernameSchema, email: EmailSchema, password: PasswordSchema });
export type RegisterBody = z.infer<typeof RegisterBodySchema>;

/** The setup token: 43 base64url characters (32 random bytes); bounded so a hostile value costs nothing. */
export const SETUP_TOKEN_LENGTH = 43;
/** POST /v1/setup: the first administrator, created with the one-time token of the setup link. */
export const SetupBodySchema = RegisterBodySchema.extend({ token: z.string().min(1).max(128) });
export type SetupBody = z.infer<typeof SetupBodySchema>;

export const LoginBodySchema = z.object({ username: z.string(), password: PresentedPasswordSchema });
export type LoginBody = z.infer<typeof LoginBodySchema>;

/** `null` for an optional field means "not given". */
const notGiven = <T extends z.ZodType>(schema: T) =>
  schema.nullable().optional().transform((v) => (v === null ? undefined : v));

export const ProfileUpdateBodySchema = z.object({
  current_password: PresentedPasswordSchema,
  username: notGiven(UsernameSchema),
  email: notGiven(EmailSchema),
  password: notGiven(PasswordSchema),
});
export type ProfileUpdateBody = z.infer<typeof ProfileUpdateBodySchema>;

// A pattern rather than an enum: v1 clients know this failure as `string_pattern_mismatch`.
const ROLE_PATTERN = /^(analyst|engineer|admin)$/;
export const RoleUpdateBodySchema = z.object({
  role: z
    .string()
    .regex(ROLE_PATTERN, `String should match pattern '${ROLE_PATTERN.source}'`)
    .transform((v) => v as Role),
});
export type RoleUpdateBody = z.infer<typeof RoleUpdateBodySchema>;

export function adminUsersQuery(pagination: { perPage: number; maxPerPage: number }) {
  return z.object(paginationQuery(pagination));
}

export const UserSchema = z.object({
  id: IdSchema,
  username: z.string(),
  email: z.string(),
  role: RoleSchema,
  is_active: z.boolean(),
});
export type User = z.infer<typeof UserSchema>;

/** GET /v1/auth/options (public, additive): what the sign-in pages need before a login. */
/**
 * `setup_required`: the server has no active administrator yet; the first one is created
 * with the one-time setup link the server printed at start (POST /v1/setup).
 */
export const AuthOptionsSchema = z.object({ registration_enabled: z.boolean(), setup_required: z.boolean().default(false) });
export type AuthOptions = z.infer<typeof AuthOptionsSchema>;

export const TokenSchema = z.object({ access_token: z.string(), token_type: z.literal('bearer') });
export type Token = z.infer<typeof TokenSchema>;

/** `access_token` is present only when the username changed; never null (the web client rejects null). */
export const ProfileUpdateSchema = z.object({
  user: UserSchema,
  token_type: z.literal('bearer'),
  access_token: z.string().optional(),
});
export type ProfileUpdate = z.infer<typeof ProfileUpdateSchema>;

/** The JWT claims; `role` and `username` are informational only. */
export const TokenClaimsSchema = z.object({
  sub: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
  username: z.string().optional(),
  role: z.string().optional(),
});
export type TokenClaims = z.infer<typeof TokenClaimsSchema>;
