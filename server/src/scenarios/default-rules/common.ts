// Shared pieces of the shipped rules: the DefaultRule shape, the `builtin` constructor and
// the event-type vocabularies shippers use for the same facts (matched case-insensitively
// with `in`, so one rule covers several sources).
import type { RuleCreate } from '@siem/contracts';

export interface DefaultRule {
  /** Stable identity across renames and upgrades (`builtin.<theme>.<name>`), so a restore
   *  can recognise a shipped rule an analyst has renamed or tuned. */
  key: string;
  /** What POST /v1/rules would store: already in RuleCreateSchema's output shape. */
  rule: RuleCreate;
}

export const LOGIN_FAILURE_TYPES = ['login_failure', 'login_failed', 'failed_login', 'authentication_failure', 'auth_failure', 'logon_failure'];
export const LOGIN_SUCCESS_TYPES = ['login_success', 'login_succeeded', 'successful_login', 'authentication_success', 'auth_success', 'logon_success'];
/** OpenSSH's own failure lines: "Failed password/publickey/keyboard-interactive" (login_failure),
 *  "Invalid user" and "maximum authentication attempts exceeded". PAM's lines for sshd are
 *  left out: sshd already reports the same attempt. */
export const SSH_FAILURE_TYPES = ['login_failure', 'invalid_user', 'ssh_max_auth_attempts'];
/** service.name of OpenSSH events (sshd-session from OpenSSH 9.8 on). */
export const SSH_SERVICES = ['sshd', 'ssh', 'sshd-session'];
export const FILE_WRITE_TYPES = ['file_write', 'file_create', 'file_created', 'file_modified', 'file_modify', 'filecreate', 'file_rename'];

/** A rule of the shipped set: enabled, default cooldown unless a theme file says otherwise. */
export function builtin(key: string, rule: Omit<RuleCreate, 'enabled' | 'cooldown_seconds' | 'suppression' | 'tags'> & { cooldown_seconds?: number; tags?: string[] }): DefaultRule {
  return { key, rule: { ...rule, enabled: true, cooldown_seconds: rule.cooldown_seconds ?? null, suppression: null, tags: rule.tags ?? [] } };
}
