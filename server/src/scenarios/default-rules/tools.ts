// Shipped detections of well-known offensive tools being run on a monitored host (Sysmon 1,
// Windows 4688, auditd EXECVE, EDR process events): scanners and login crackers, credential
// dumpers, LSASS dumps with ProcDump, and PsExec-style remote execution. Names are compared
// as the bare, lower-cased process names every source is normalized to.
import { builtin, type DefaultRule } from './common.ts';

/** Port scanners, web scanners, online password guessers and AD reconnaissance. */
export const ATTACK_TOOLS = [
  'nmap', 'nmap.exe', 'masscan', 'masscan.exe', 'zmap', 'rustscan', 'naabu', 'nikto', 'nikto.pl', 'sqlmap', 'sqlmap.py',
  'gobuster', 'dirb', 'dirbuster', 'feroxbuster', 'ffuf', 'wfuzz', 'wpscan', 'nuclei', 'enum4linux', 'enum4linux-ng',
  'hydra', 'medusa', 'ncrack', 'patator', 'crackmapexec', 'netexec', 'nxc', 'kerbrute', 'kerbrute.exe',
  'sharphound.exe', 'adfind.exe', 'responder', 'responder.py', 'linpeas.sh', 'winpeas.exe', 'winpeasx64.exe',
];

/** Tools whose purpose is stealing or cracking credentials. */
export const CREDENTIAL_TOOLS = [
  'mimikatz.exe', 'mimikatz', 'mimidrv.sys', 'safetykatz.exe', 'sharpkatz.exe', 'pypykatz', 'rubeus.exe', 'kekeo.exe',
  'lazagne.exe', 'lazagne', 'secretsdump.py', 'impacket-secretsdump', 'nanodump.exe', 'dumpert.exe',
  'john', 'john.exe', 'hashcat', 'hashcat.exe', 'hashcat.bin', 'ophcrack', 'unshadow',
];

export const TOOL_RULES: readonly DefaultRule[] = [
  builtin('builtin.endpoint.attack-tool', {
    name: 'Scanner or attack tool executed',
    description:
      'A well-known scanning or attack tool was started on a monitored host: port and web ' +
      'scanners (nmap, masscan, nikto, sqlmap, gobuster), login crackers (hydra, medusa, ' +
      'crackmapexec) or domain reconnaissance (SharpHound, AdFind): network service discovery ' +
      '(T1046) from inside, usually by someone who already has a foothold. Check first: whether ' +
      'the host and user belong to the security team or a sanctioned penetration test (then ' +
      'close it and exclude that host), the full command line (targets, ports, wordlists), the ' +
      'parent process and how the binary arrived (downloaded to /tmp or a user profile minutes ' +
      'before is a bad sign). Otherwise isolate the host and find the session that ran it.',
    rule_type: 'threshold',
    conditions: { event_filter: { 'normalized.process_name': { in: ATTACK_TOOLS } }, threshold: 1, window_seconds: 60, group_by: 'hostname' },
    severity: 'high',
    mitre_tactic: 'TA0007',
    mitre_technique: 'T1046',
  }),
  builtin('builtin.endpoint.credential-tool', {
    name: 'Credential dumping or cracking tool executed',
    description:
      'A credential theft or cracking tool was started: Mimikatz and its forks, Rubeus, ' +
      'LaZagne, pypykatz, impacket secretsdump, or the password crackers John the Ripper and ' +
      'hashcat: someone is harvesting passwords, hashes or Kerberos tickets (T1003). Check ' +
      'first: the user and parent process, the command line (sekurlsa::logonpasswords, ' +
      'lsadump::dcsync, kerberoast and /etc/shadow mean live theft), and which accounts logged ' +
      'on to that host recently: treat their passwords and tickets as stolen. Isolate the host, ' +
      'reset those credentials (krbtgt twice after a DCSync) and look for the same tool on ' +
      'other hosts. Only a sanctioned test or a security lab explains it.',
    rule_type: 'threshold',
    conditions: { event_filter: { 'normalized.process_name': { in: CREDENTIAL_TOOLS } }, threshold: 1, window_seconds: 60, group_by: 'hostname' },
    severity: 'critical',
    mitre_tactic: 'TA0006',
    mitre_technique: 'T1003',
  }),
  builtin('builtin.endpoint.lsass-dump', {
    name: 'LSASS memory dumped with ProcDump',
    description:
      'Sysinternals ProcDump was pointed at lsass.exe (e.g. "procdump -ma lsass.exe out.dmp"): ' +
      'the dump holds the passwords, NTLM hashes and Kerberos tickets of everyone logged on, and ' +
      'is read offline with Mimikatz (T1003.001). A signed Microsoft tool is used so that ' +
      'antivirus stays quiet. Check first: the user and session that ran it, where the .dmp ' +
      'file went (copied off the host or deleted), and the accounts logged on to that host: ' +
      'reset their credentials. Support engineers rarely dump LSASS; confirm with a ticket ' +
      'before closing.',
    rule_type: 'threshold',
    conditions: {
      event_filter: {
        'normalized.process_name': { in: ['procdump.exe', 'procdump64.exe', 'procdump64a.exe', 'procdump'] },
        'normalized.command_line': { contains: 'lsass' },
      },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'critical',
    mitre_tactic: 'TA0006',
    mitre_technique: 'T1003.001',
  }),
  builtin('builtin.endpoint.psexec', {
    name: 'PsExec-style remote execution',
    description:
      'PsExec, its service PSEXESVC, or a clone (PAExec, RemCom) ran on a host: commands are ' +
      'being executed on remote Windows machines through a service created over SMB ' +
      '(T1569.002), a favourite of ransomware operators to spread and of administrators to ' +
      'patch. Check first: which account ran it and from which host (PSEXESVC on the target, ' +
      'psexec.exe on the source), the command line (-s for SYSTEM, a copied binary, many ' +
      'targets in a loop are bad signs), and whether it is that administrator\'s usual tool ' +
      'and working hours. Exclude the management hosts that use it routinely by hostname.',
    rule_type: 'threshold',
    conditions: {
      event_filter: { 'normalized.process_name': { in: ['psexec.exe', 'psexec64.exe', 'psexesvc.exe', 'paexec.exe', 'remcom.exe', 'remcomsvc.exe', 'csexec.exe'] } },
      threshold: 1,
      window_seconds: 60,
      group_by: 'hostname',
    },
    severity: 'medium',
    mitre_tactic: 'TA0002',
    mitre_technique: 'T1569.002',
  }),
];
