// Shipped endpoint (EDR / auditd) detections: suspicious parent -> child process pairs, shell
// command lines, and writes to persistence locations. Process names are compared as the
// basenames EDRs report, case-insensitively; each fires on a single event.
import { builtin, FILE_WRITE_TYPES, type DefaultRule } from './common.ts';

const UNIX_SHELLS = ['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash'];
const OFFICE_APPS = ['winword.exe', 'excel.exe', 'powerpnt.exe', 'outlook.exe', 'msaccess.exe', 'mspub.exe', 'onenote.exe', 'visio.exe'];
const SCRIPT_INTERPRETERS = [
  'powershell.exe', 'pwsh.exe', 'cmd.exe', 'wscript.exe', 'cscript.exe', 'mshta.exe',
  'rundll32.exe', 'regsvr32.exe', 'certutil.exe', 'bitsadmin.exe',
];
/** Processes that serve the network: a shell below one of them is an exploited service. */
const NETWORK_SERVICES = [
  'java', 'tomcat', 'catalina', 'httpd', 'apache2', 'nginx', 'php-fpm', 'php', 'node', 'python-gunicorn',
  'w3wp.exe', 'httpd.exe', 'tomcat.exe', 'java.exe', 'sqlservr.exe',
];
/**
 * GTFOBins that, run through sudo, drop to a shell (find -exec, vim :!sh, less !sh, ...).
 * Interpreters and build tools (python, perl, make, git, env) are left out on purpose: as
 * root they spawn shells all day in configuration management and package builds.
 */
const SHELL_ESCAPE_BINARIES = [
  'find', 'vim', 'vi', 'nano', 'less', 'more', 'man', 'awk', 'gawk', 'mawk', 'nmap', 'lua', 'ftp', 'ed', 'tar', 'zip', 'journalctl',
];

export const ENDPOINT_RULES: readonly DefaultRule[] = [
  builtin('builtin.endpoint.office-spawns-interpreter', {
    name: 'Office application spawned a script interpreter',
    description:
      'Word, Excel, PowerPoint, Outlook or another Office program started PowerShell, cmd, ' +
      'wscript, mshta, rundll32 or a similar interpreter: the hallmark of a malicious macro in a ' +
      'document the user just opened (T1204.002, usually after a phishing mail, T1566.001). ' +
      'Check first: the document path in the parent (an Outlook attachment cache means email), ' +
      'the full child command line, and what that child did next (downloads, new processes, ' +
      'outbound connections). Isolate the host if anything ran; find the mail and purge it from ' +
      'other mailboxes. Some add-ins and macros legitimately start cmd.exe: allow them by name.',
    rule_type: 'threshold',
    conditions: {
      event_filter: {
        'normalized.parent_process': { in: OFFICE_APPS },
        'normalized.process_name': { in: SCRIPT_INTERPRETERS },
      },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'high',
    mitre_tactic: 'TA0002',
    mitre_technique: 'T1204.002',
  }),
  builtin('builtin.endpoint.powershell-encoded', {
    name: 'PowerShell started with an encoded command',
    description:
      'PowerShell was started with -EncodedCommand (or its -enc / -Enc abbreviations): the command ' +
      'is hidden in base64, a common way for stagers and malware to avoid command-line inspection ' +
      '(T1059.001). Check first: decode the base64 (UTF-16LE) to read the command, the parent ' +
      'process (Office, a browser or wmiprvse are bad signs), and network connections right after. ' +
      'Some management agents (SCCM, Intune) use encoded commands: check the parent and the ' +
      'decoded text before escalating.',
    rule_type: 'threshold',
    conditions: {
      event_filter: {
        'normalized.process_name': { in: ['powershell.exe', 'pwsh.exe', 'powershell', 'pwsh'] },
        'normalized.command_line': { contains: ' -enc' },
      },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'high',
    mitre_tactic: 'TA0002',
    mitre_technique: 'T1059.001',
  }),
  builtin('builtin.endpoint.service-spawns-shell', {
    name: 'Shell spawned by a network service process',
    description:
      'A web or application server process (java, tomcat, httpd, nginx, php-fpm, node, w3wp) ' +
      'started a Unix shell: the sign of a successfully exploited public-facing application or a ' +
      'web shell (T1190). Check first: the shell command line (reverse shells, downloads), the ' +
      'requests the service received just before (IDS and WAF events for the same host), and the ' +
      'user the service runs as. Isolate the host; patch the application. Build servers (Jenkins ' +
      'runs sh from java) are the known false positive: exclude them by hostname.',
    rule_type: 'threshold',
    conditions: {
      event_filter: {
        'normalized.parent_process': { in: NETWORK_SERVICES },
        'normalized.process_name': { in: UNIX_SHELLS },
      },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'critical',
    mitre_tactic: 'TA0001',
    mitre_technique: 'T1190',
  }),
  builtin('builtin.endpoint.reverse-shell-dev-tcp', {
    name: 'Reverse shell through /dev/tcp',
    description:
      "A command line uses bash's /dev/tcp/<host>/<port> redirection, the classic one-line " +
      'reverse shell handing an interactive shell to a remote listener (T1059.004). There is ' +
      'practically no legitimate use on servers. Check first: the address and port in the ' +
      'command line (block them, look for firewall events to them), the parent process (how the ' +
      'attacker got execution), and every command run by the shell afterwards. Other reverse ' +
      'shells (nc -e, python sockets, socat) are not covered by this rule.',
    rule_type: 'threshold',
    conditions: {
      event_filter: { 'normalized.command_line': { contains: '/dev/tcp/' } },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'critical',
    mitre_tactic: 'TA0002',
    mitre_technique: 'T1059.004',
  }),
  builtin('builtin.endpoint.sudo-shell-escape', {
    name: 'Root shell spawned by a sudo shell-escape binary',
    description:
      'A shell running as root was started by a program known to escape to a shell (find -exec, ' +
      'vim, less, awk, nmap... see GTFOBins): someone turned a narrow sudo permission into ' +
      'full root (T1548.003). Check first: the sudo log line just before (which user ran which ' +
      'command), whether that user is expected to have that sudo entry, and everything the root ' +
      'shell did (persistence in cron, systemd or authorized_keys; reading /etc/shadow). Remove ' +
      'the sudoers entry or restrict it with NOEXEC. Root maintenance scripts running ' +
      '"find ... -exec sh" are the false positive.',
    rule_type: 'threshold',
    conditions: {
      event_filter: {
        username: 'root',
        'normalized.parent_process': { in: SHELL_ESCAPE_BINARIES },
        'normalized.process_name': { in: UNIX_SHELLS },
      },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'critical',
    mitre_tactic: 'TA0004',
    mitre_technique: 'T1548.003',
  }),
  builtin('builtin.endpoint.cron-persistence', {
    name: 'Cron persistence: file written under /etc/cron',
    description:
      'A file was created or modified under /etc/cron* (crontab, cron.d, cron.daily...): a new ' +
      'scheduled task, the most common Linux persistence (T1053.003). Check first: the content ' +
      '(the command line of the write; a curl or wget piped into sh is malicious), the process ' +
      'and user that wrote it, and whether a package install or configuration management run ' +
      'explains it. Remove unknown jobs and look for what installed them. Per-user crontabs ' +
      'under /var/spool/cron are not covered by this rule.',
    rule_type: 'threshold',
    conditions: {
      event_filter: { event_type: { in: FILE_WRITE_TYPES }, 'normalized.file_path': { startswith: '/etc/cron' } },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'high',
    mitre_tactic: 'TA0003',
    mitre_technique: 'T1053.003',
  }),
  builtin('builtin.endpoint.ssh-authorized-keys', {
    name: 'SSH authorized_keys modified',
    description:
      "A user's ~/.ssh/authorized_keys file was created or modified: whoever added a key can log " +
      'in as that user without a password from now on (T1098.004). Check first: which account ' +
      '(root is the worst case), the key comment and the command line that wrote it, and whether ' +
      'the key belongs to a known person or tool; then look for SSH logins with that account from ' +
      'new addresses. Remove unknown keys. Users adding their own key (ssh-copy-id) and ' +
      'configuration management are the false positives.',
    rule_type: 'threshold',
    conditions: {
      event_filter: { event_type: { in: FILE_WRITE_TYPES }, 'normalized.file_path': { endswith: '/.ssh/authorized_keys' } },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'high',
    mitre_tactic: 'TA0003',
    mitre_technique: 'T1098.004',
  }),
];
