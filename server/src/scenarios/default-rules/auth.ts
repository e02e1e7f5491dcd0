// Shipped authentication detections: guessing against one account, failure floods and
// spraying from one address, SSH brute force at fail2ban's sensitivity, a success that
// follows a run of failures, and one account fanning out over SSH. Thresholds sit above a
// user's typos and well below tool speed.
import { builtin, LOGIN_FAILURE_TYPES, LOGIN_SUCCESS_TYPES, SSH_FAILURE_TYPES, SSH_SERVICES, type DefaultRule } from './common.ts';

const failures = { event_type: { in: LOGIN_FAILURE_TYPES } };
const successes = { event_type: { in: LOGIN_SUCCESS_TYPES } };

export const AUTH_RULES: readonly DefaultRule[] = [
  builtin('builtin.auth.password-guessing', {
    name: 'Password guessing against one account',
    description:
      'At least 8 failed logins for the same account within 60 seconds, from any source. A person ' +
      'mistyping stops after two or three tries; this pace means a tool is guessing the password ' +
      '(T1110.001). Check first: the source addresses in the matched events (one external address ' +
      'is a direct attack, many addresses a distributed one), whether the same account logged in ' +
      'successfully afterwards, and whether it is a service account whose stored password just ' +
      'changed (a misconfigured job retrying is the usual false positive). Lock or reset the ' +
      'account if a success followed.',
    rule_type: 'threshold',
    conditions: { event_filter: failures, threshold: 8, window_seconds: 60, group_by: 'username' },
    severity: 'high',
    mitre_tactic: 'TA0006',
    mitre_technique: 'T1110.001',
  }),
  builtin('builtin.auth.failures-from-source', {
    name: 'Authentication failure flood from one source',
    description:
      'At least 20 failed logins from the same source address within 120 seconds, whatever the ' +
      'accounts: brute force by source (T1110), covering guessing, spraying and credential ' +
      'stuffing. Check first: whether the address is external and unknown (block it at the edge), ' +
      'how many distinct accounts it tried (many = spraying, see that rule), and whether any login ' +
      'from it succeeded. Internal NAT gateways, VPN concentrators and proxies concentrate many ' +
      "users' failures on one address; confirm the real client before blocking one of those.",
    rule_type: 'threshold',
    conditions: { event_filter: failures, threshold: 20, window_seconds: 120, group_by: 'source_ip' },
    severity: 'high',
    mitre_tactic: 'TA0006',
    mitre_technique: 'T1110',
  }),
  builtin('builtin.auth.ssh-brute-force', {
    name: 'SSH brute force from one source',
    description:
      'At least 5 failed SSH logins from the same source address within 10 minutes (sshd ' +
      '"Failed password", "Invalid user", "maximum authentication attempts exceeded"; a "message ' +
      'repeated N times" line counts N): someone is guessing passwords over SSH (T1110.001). This ' +
      'is as sensitive as fail2ban\'s default sshd jail; one or two typos stay below it. An ' +
      'invalid user name counts twice (sshd logs "Invalid user" and then the failed password). ' +
      'Check first: whether the address is external (block it at the edge or in fail2ban), which ' +
      'accounts it tried (root, admin, test and service names mean a wordlist; one real account ' +
      'means a targeted guess) and whether any login from it succeeded (the "Successful login ' +
      'after repeated failures" rule fires then). Internet-facing SSH sees this all day: disable ' +
      'password authentication where keys are in use. An internal address is a misconfigured ' +
      'script with a stale password, or a compromised host.',
    rule_type: 'threshold',
    conditions: {
      event_filter: { event_type: { in: SSH_FAILURE_TYPES }, 'normalized.service': { in: SSH_SERVICES } },
      threshold: 5,
      window_seconds: 600,
      group_by: 'source_ip',
    },
    severity: 'medium',
    mitre_tactic: 'TA0006',
    mitre_technique: 'T1110.001',
  }),
  builtin('builtin.auth.password-spraying', {
    name: 'Password spraying from one source',
    description:
      'Failed logins for at least 10 distinct accounts from the same source address within 5 ' +
      'minutes: one password tried across many accounts to stay under lockout limits (T1110.003). ' +
      'Check first: the list of usernames (a staff directory in alphabetical order is typical), ' +
      'any success from the same address (the "Successful login after repeated failures" rule ' +
      'fires on it) and that account\'s later activity (VPN, mail). Block the address and force a ' +
      'password reset plus MFA for any account that succeeded. A shared NAT or proxy address ' +
      'with many users can trigger it; check the user agents.',
    rule_type: 'aggregation',
    conditions: {
      event_filter: failures,
      aggregation: 'count_distinct',
      aggregation_field: 'username',
      threshold: 10,
      window_seconds: 300,
      group_by: 'source_ip',
    },
    severity: 'high',
    mitre_tactic: 'TA0006',
    mitre_technique: 'T1110.003',
  }),
  builtin('builtin.auth.success-after-failures', {
    name: 'Successful login after repeated failures from the same source',
    description:
      'At least 5 failed logins from one source address followed, within 10 minutes, by a ' +
      'successful login from that same address (steps in order): a guessing or spraying run that ' +
      'found a valid password (T1078). Treat the account in the success event as compromised ' +
      'until proven otherwise. Check first: the username and host of the success, whether it was ' +
      'the account that failed, what the session did next (commands, lateral logins, mailbox ' +
      'access); then disable or reset the account and end its sessions. Benign cases: a user who ' +
      'mistyped five times before getting it right, or a shared NAT address where several ' +
      "users' typos add up; check that the failures and the success name the same account.",
    rule_type: 'sequence',
    conditions: {
      steps: [
        { event_filter: failures, count: 5 },
        { event_filter: successes, count: 1 },
      ],
      window_seconds: 600,
      group_by: 'source_ip',
    },
    severity: 'critical',
    mitre_tactic: 'TA0001',
    mitre_technique: 'T1078',
  }),
  builtin('builtin.auth.ssh-fan-out', {
    name: 'SSH lateral movement: one account on many hosts',
    description:
      'One account logged in over SSH to at least 3 distinct hosts within 15 minutes (sshd ' +
      'successes counted by hostname): an intruder hopping from host to host with a stolen key or ' +
      'password (T1021.004). Check first: the chain of source addresses (each hop starting from ' +
      'the previous host is typical), whether the first login came from outside or followed a ' +
      'brute force, and the commands run on each host. Administrators and automation (Ansible, ' +
      'backup jobs) do this legitimately: confirm with the owner, and exclude known automation ' +
      'accounts with a username filter if they are noisy.',
    rule_type: 'aggregation',
    conditions: {
      event_filter: { ...successes, 'normalized.service': { in: SSH_SERVICES } },
      aggregation: 'count_distinct',
      aggregation_field: 'hostname',
      threshold: 3,
      window_seconds: 900,
      group_by: 'username',
    },
    severity: 'high',
    mitre_tactic: 'TA0008',
    mitre_technique: 'T1021.004',
  }),
];
