// Shipped detections of privilege use and account changes on hosts: failed sudo passwords,
// sudo by users outside sudoers, new accounts, and members added to privileged groups
// (Linux useradd/usermod/gpasswd lines, Windows 4720/4728/4732/4756).
import { builtin, type DefaultRule } from './common.ts';

/** Groups whose members administer the host or the domain (compared case-insensitively). */
export const PRIVILEGED_GROUPS = [
  // Linux: sudo rights (Debian sudo, Red Hat wheel, old Ubuntu admin), root-equivalent
  // container and VM sockets, raw disks, password hashes, and every log (adm).
  'sudo', 'wheel', 'admin', 'adm', 'root', 'docker', 'lxd', 'libvirt', 'disk', 'shadow',
  // Windows local and domain groups with administrative power.
  'administrators', 'domain admins', 'enterprise admins', 'schema admins', 'account operators',
  'backup operators', 'server operators', 'print operators', 'dnsadmins', 'group policy creator owners',
  'key admins', 'enterprise key admins',
];

export const PRIVILEGE_RULES: readonly DefaultRule[] = [
  builtin('builtin.auth.sudo-password-failures', {
    name: 'Repeated sudo password failures for one user',
    description:
      'At least 3 wrong passwords given to sudo by the same user within 5 minutes (sudo\'s "N ' +
      'incorrect password attempts" lines, counted by attempts): someone at that account does ' +
      'not know its password, typically an intruder who got a shell through a stolen key, a web ' +
      'application or a session left open, and now tries to become root (T1548.003). A user who ' +
      'mistypes once and then succeeds stays below it. Check first: how the session started ' +
      '(the login before it: source address, key or password), the TTY and working directory ' +
      'in the events, and what the account ran before and after; then ask the account\'s owner. ' +
      'If the owner was not at the keyboard, lock the account and end its sessions.',
    rule_type: 'threshold',
    conditions: {
      event_filter: { event_type: { in: ['authentication_failure', 'sudo_password_failure'] }, 'normalized.service': 'sudo' },
      threshold: 3,
      window_seconds: 300,
      group_by: 'username',
    },
    severity: 'medium',
    mitre_tactic: 'TA0004',
    mitre_technique: 'T1548.003',
  }),
  builtin('builtin.auth.sudo-not-in-sudoers', {
    name: 'sudo attempted by a user not in sudoers',
    description:
      'A user who is not allowed to use sudo on this host tried it (sudo logs "user NOT in ' +
      'sudoers" or "user NOT authorized on host"): either a new colleague who does not have the ' +
      'right yet, or an intruder on a low-privilege account probing for a way to root ' +
      '(T1548.003). Check first: the command in the event (id, bash, su, cat /etc/shadow or an ' +
      'editor on sudoers are probes; a package or service command is a user who expected the ' +
      'right), how the session started (source address of the login before it), and other ' +
      'privilege escalation attempts on the host (SUID binaries, kernel exploits downloaded to ' +
      '/tmp). Confirm with the user; if nobody did it, treat the account as compromised.',
    rule_type: 'threshold',
    conditions: { event_filter: { event_type: 'sudo_not_in_sudoers' }, threshold: 1, window_seconds: 60, group_by: 'username' },
    severity: 'medium',
    mitre_tactic: 'TA0004',
    mitre_technique: 'T1548.003',
  }),
  builtin('builtin.auth.account-created', {
    name: 'New user account created',
    description:
      'A user account was created on a host or in the domain (useradd/adduser, Windows event ' +
      '4720). Attackers add accounts to keep access after a password reset or a cleaned ' +
      'implant (T1136). Check first: who created it (the acting user in the event and the ' +
      'session before it), whether a change ticket or an onboarding explains it, the new ' +
      'account\'s name (names imitating system or service accounts are a warning sign), and ' +
      'whether it was then added to a privileged group (see that rule) or logged in from ' +
      'outside. Disable accounts nobody can explain. Package installs create system accounts ' +
      '(no login shell, low UID): those can be closed quickly.',
    rule_type: 'threshold',
    conditions: { event_filter: { event_type: 'user_created' }, threshold: 1, window_seconds: 60, group_by: 'hostname' },
    severity: 'low',
    mitre_tactic: 'TA0003',
    mitre_technique: 'T1136',
  }),
  builtin('builtin.auth.privileged-group-change', {
    name: 'Account added to a privileged group',
    description:
      'An account was added to a group that administers the host or the domain (sudo, wheel, ' +
      'adm, docker, lxd, Administrators, Domain Admins, Enterprise Admins and the operator ' +
      'groups): it now has, or can take, full control (T1098). Intruders do this right after ' +
      'creating or taking over an account. Check first: which account was added and by whom ' +
      '(the acting user and the session it came from), whether a change request covers it, ' +
      'and whether the account was created minutes before (the "New user account created" ' +
      'rule). Remove the membership at once if it is not explained; docker and lxd membership ' +
      'is root on Linux, not a convenience.',
    rule_type: 'threshold',
    conditions: {
      event_filter: { event_type: 'user_added_to_group', 'fields.group.name': { in: PRIVILEGED_GROUPS } },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'high',
    mitre_tactic: 'TA0003',
    mitre_technique: 'T1098',
  }),
];
