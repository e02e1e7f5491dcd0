import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from '../../src/engine/parse/index.ts';
import { decodeHex } from '../../src/engine/parse/auditd.ts';
import { OPTS, runTable } from './parse-helpers.ts';

const H = 'Mar 15 11:00:00 app-4';

test('account and group changes', () => {
  runTable([
    {
      name: 'useradd new user',
      line: `${H} useradd[1500]: new user: name=svc-report, UID=1007, GID=1007, home=/home/svc-report, shell=/bin/bash, from=/dev/pts/1`,
      expect: { parser: 'accounts', source_type: 'auth', event_type: 'user_created', fields: { 'user.target.name': 'svc-report', 'user.target.id': '1007', 'group.id': '1007', 'user.target.home': '/home/svc-report', 'user.target.shell': '/bin/bash', 'process.tty.name': '/dev/pts/1', 'event.category': 'iam', 'process.name': 'useradd' } },
    },
    { name: 'useradd new group', line: `${H} useradd[1500]: new group: name=svc-report, GID=1007`, expect: { event_type: 'group_created', fields: { 'group.name': 'svc-report', 'group.id': '1007' } } },
    { name: 'groupadd to /etc/group', line: `${H} groupadd[1501]: group added to /etc/group: name=devops, GID=1010`, expect: { event_type: 'group_created', fields: { 'group.name': 'devops', 'file.path': '/etc/group' } } },
    { name: 'usermod add to group', line: `${H} usermod[1502]: add 'svc-report' to group 'sudo'`, expect: { event_type: 'user_added_to_group', fields: { 'user.target.name': 'svc-report', 'group.name': 'sudo' }, absent: ['file.path'] } },
    { name: 'usermod add to shadow group', line: `${H} usermod[1502]: add 'svc-report' to shadow group 'wheel'`, expect: { event_type: 'user_added_to_group', fields: { 'group.name': 'wheel', 'file.path': '/etc/gshadow' } } },
    { name: 'gpasswd add', line: `${H} gpasswd[1503]: user dana added by root to group docker`, expect: { event_type: 'user_added_to_group', fields: { 'user.target.name': 'dana', 'user.name': 'root', 'group.name': 'docker' } } },
    { name: 'userdel', line: `${H} userdel[1504]: delete user 'svc-report'`, expect: { event_type: 'user_deleted', fields: { 'user.target.name': 'svc-report' } } },
    { name: 'userdel removes from group', line: `${H} userdel[1504]: delete 'svc-report' from group 'sudo'`, expect: { event_type: 'user_removed_from_group', fields: { 'group.name': 'sudo' } } },
    { name: 'userdel removes group', line: `${H} userdel[1504]: removed group 'svc-report' owned by 'svc-report'`, expect: { event_type: 'group_deleted', fields: { 'group.name': 'svc-report' } } },
    { name: 'usermod change shell', line: `${H} usermod[1505]: change user 'dana' shell from '/bin/sh' to '/bin/zsh'`, expect: { event_type: 'user_modified', fields: { 'user.target.name': 'dana', 'event.reason': "shell from '/bin/sh' to '/bin/zsh'" } } },
    { name: 'usermod lock', line: `${H} usermod[1505]: lock user 'dana' password`, expect: { event_type: 'user_locked' } },
    { name: 'passwd by shadow-utils', line: `${H} passwd[1506]: password for 'dana' changed by 'root'`, expect: { event_type: 'password_changed', fields: { 'user.target.name': 'dana', 'user.name': 'root' } } },
    { name: 'chpasswd through PAM', line: `${H} chpasswd[1507]: pam_unix(chpasswd:chauthtok): password changed for dana`, expect: { parser: 'pam', event_type: 'password_changed', fields: { 'user.name': 'dana' } } },
    { name: 'unknown useradd text', line: `${H} useradd[1500]: failed adding user 'x', exit code: 9`, expect: { parser: null } },
  ]);
});

test('cron commands', () => {
  runTable([
    {
      name: 'CRON CMD with nested parentheses',
      line: `${H} CRON[2100]: (root) CMD (test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily ))`,
      expect: { parser: 'cron', source_type: 'endpoint', event_type: 'cron_command', fields: { 'user.name': 'root', 'process.command_line': 'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )', 'process.name': 'test' } },
    },
    { name: 'crond (cronie)', line: `${H} crond[2100]: (backup) CMD (/opt/backup/run.sh --full)`, expect: { event_type: 'cron_command', fields: { 'user.name': 'backup', 'process.executable': '/opt/backup/run.sh', 'process.name': 'run.sh' } } },
    { name: 'cron session through PAM', line: `${H} CRON[2100]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`, expect: { parser: 'pam', event_type: 'session_opened' } },
    { name: 'other cron text', line: `${H} cron[1]: (CRON) INFO (pidfile fd = 3)`, expect: { parser: null } },
  ]);
});

test('netfilter: UFW, iptables and nftables prefixes, IPv6, ICMP, flags', () => {
  runTable([
    {
      name: 'UFW BLOCK with dmesg stamp',
      line: `${H} kernel: [884211.120033] [UFW BLOCK] IN=ens3 OUT= MAC=52:54:00:aa:bb:cc:52:54:00:dd:ee:ff:08:00 SRC=198.51.100.31 DST=10.0.0.4 LEN=44 TOS=0x00 PREC=0x00 TTL=242 ID=54321 PROTO=TCP SPT=41234 DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0`,
      expect: {
        parser: 'netfilter', source_type: 'firewall', event_type: 'firewall_deny', program: 'kernel',
        fields: { 'rule.name': 'UFW BLOCK', 'event.action': 'block', 'event.outcome': 'failure', 'source.ip': '198.51.100.31', 'destination.ip': '10.0.0.4', 'source.port': 41234, 'destination.port': 3389, 'network.transport': 'tcp', 'observer.ingress.interface.name': 'ens3', 'network.packet_length': 44, 'netfilter.flags': 'SYN' },
        absent: ['observer.egress.interface.name'],
      },
    },
    { name: 'UFW ALLOW', line: `${H} kernel: [UFW ALLOW] IN=ens3 OUT= SRC=10.0.0.9 DST=10.0.0.4 PROTO=UDP SPT=5353 DPT=53`, expect: { event_type: 'connection_allowed', fields: { 'event.action': 'allow', 'network.transport': 'udp', 'event.outcome': 'success' } } },
    { name: 'iptables custom prefix with a colon, outbound', line: `${H} kernel: DROP-OUT: IN= OUT=eth0 SRC=10.0.0.4 DST=203.0.113.200 LEN=60 PROTO=TCP SPT=50000 DPT=4444 SYN`, expect: { event_type: 'firewall_deny', fields: { 'rule.name': 'DROP-OUT', 'event.action': 'drop', 'observer.egress.interface.name': 'eth0', 'destination.port': 4444 } } },
    { name: 'nftables reject', line: `${H} kernel: nft input reject IN=eth0 OUT= SRC=192.0.2.77 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=23`, expect: { event_type: 'firewall_deny', fields: { 'event.action': 'reject' } } },
    { name: 'a prefix naming no action is a log', line: `${H} kernel: NEW-CONN IN=eth0 OUT= SRC=192.0.2.77 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=443`, expect: { event_type: 'firewall_log', fields: { 'event.action': 'log' }, absent: ['event.outcome'] } },
    {
      name: 'IPv6 addresses',
      line: `${H} kernel: [UFW BLOCK] IN=eth0 OUT= MAC= SRC=2001:0db8:0000:0000:0000:0000:0000:0042 DST=2001:db8::1 LEN=80 TC=0 HOPLIMIT=55 FLOWLBL=0 PROTO=TCP SPT=60000 DPT=22 WINDOW=0 RES=0x00 SYN URGP=0`,
      expect: { fields: { 'source.ip': '2001:0db8:0000:0000:0000:0000:0000:0042', 'destination.ip': '2001:db8::1', 'destination.port': 22, 'netfilter.hoplimit': '55' } },
    },
    { name: 'ICMP type and code, no ports', line: `${H} kernel: [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.5 DST=192.0.2.1 LEN=84 PROTO=ICMP TYPE=8 CODE=0 ID=7 SEQ=1`, expect: { fields: { 'network.transport': 'icmp', 'icmp.type': '8', 'icmp.code': '0' }, absent: ['source.port', 'destination.port'] } },
    { name: 'a bad port is dropped, the event kept', line: `${H} kernel: [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.5 DST=192.0.2.1 PROTO=TCP SPT=99999 DPT=x`, expect: { event_type: 'firewall_deny', absent: ['source.port', 'destination.port'] } },
    { name: 'a headerless dmesg line', line: `[ 12.5] [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.5 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=2`, expect: { parser: 'netfilter', event_type: 'firewall_deny', host: null } },
    { name: 'other kernel text', line: `${H} kernel: EXT4-fs (sda1): mounted filesystem`, expect: { parser: null, program: 'kernel' } },
  ]);
});

test('auditd: timestamps from msg=audit(), nested msg, hex arguments, keys', () => {
  const exec = parseLine('type=EXECVE msg=audit(1773572400.731:8812): argc=4 a0="curl" a1="-s" a2="-o" a3=2F746D702F612062', OPTS);
  assert.equal(exec.format, 'auditd');
  assert.equal(exec.timestampMs, 1773572400731);
  runTable([
    {
      name: 'EXECVE with a hex argument holding a space',
      line: 'type=EXECVE msg=audit(1773572400.731:8812): argc=4 a0="curl" a1="-s" a2="-o" a3=2F746D702F612062',
      expect: { parser: 'auditd', source_type: 'endpoint', event_type: 'process_start', fields: { 'process.command_line': 'curl -s -o /tmp/a b', 'process.name': 'curl', 'process.args_count': 4, 'auditd.sequence': 8812 }, absent: ['process.executable'] },
    },
    {
      name: 'EXECVE with a full path argv[0]',
      line: 'type=EXECVE msg=audit(1773572400.731:8813): argc=2 a0="/usr/bin/python3" a1="-V"',
      expect: { fields: { 'process.executable': '/usr/bin/python3', 'process.name': 'python3' } },
    },
    {
      name: 'SYSCALL with key, exe and unset auid',
      line: 'type=SYSCALL msg=audit(1773572400.731:8812): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=4100 pid=4101 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="curl" exe="/usr/bin/curl" subj=unconfined key="net_tools"',
      expect: { event_type: 'audit_syscall', fields: { 'auditd.key': 'net_tools', 'process.executable': '/usr/bin/curl', 'process.name': 'curl', 'process.pid': 4101, 'process.parent.pid': 4100, 'user.id': '0', 'event.outcome': 'success', 'auditd.syscall': '59', 'auditd.comm': 'curl' }, absent: ['user.audit.id', 'auditd.session'] },
    },
    {
      name: 'SYSCALL with key=(null)',
      line: 'type=SYSCALL msg=audit(1773572400.731:1): arch=c000003e syscall=2 success=no exit=-13 pid=1 auid=1000 uid=1000 comm="cat" exe="/usr/bin/cat" key=(null)',
      expect: { fields: { 'event.outcome': 'failure', 'user.audit.id': '1000' }, absent: ['auditd.key'] },
    },
    {
      name: 'USER_AUTH failure with nested msg',
      line: `type=USER_AUTH msg=audit(1773572400.100:77): pid=3000 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=198.51.100.23 addr=198.51.100.23 terminal=ssh res=failed'`,
      expect: { source_type: 'auth', event_type: 'authentication_failure', fields: { 'user.name': 'root', 'source.ip': '198.51.100.23', 'event.outcome': 'failure', 'event.action': 'PAM:authentication', 'process.name': 'sshd', 'service.name': 'sshd' } },
    },
    {
      name: 'USER_LOGIN success with a host name',
      line: `node=app-4 type=USER_LOGIN msg=audit(1773572400.200:78): pid=3001 uid=0 auid=1000 ses=12 msg='op=login id=1000 exe="/usr/sbin/sshd" hostname=laptop.example addr=? terminal=/dev/pts/2 res=success'`,
      expect: { event_type: 'login_success', fields: { 'auditd.node': 'app-4', 'source.domain': 'laptop.example', 'process.tty.name': '/dev/pts/2', 'auditd.id': '1000', 'auditd.session': '12' } },
    },
    {
      name: 'USER_AUTH with a hex-encoded account name holding a space',
      line: `type=USER_AUTH msg=audit(1773572400.100:81): pid=1 uid=0 msg='op=PAM:authentication acct=6A616E6520646F65 exe="/usr/sbin/sshd" hostname=? addr=192.0.2.4 terminal=ssh res=failed'`,
      expect: { event_type: 'authentication_failure', fields: { 'user.name': 'jane doe', 'source.ip': '192.0.2.4' } },
    },
    {
      name: 'PROCTITLE decoded, NUL separators as spaces',
      line: 'type=PROCTITLE msg=audit(1773572400.731:8812): proctitle=707974686F6E33002D63007072696E742831290A',
      expect: { event_type: 'audit_proctitle', fields: { 'process.command_line': 'python3 -c print(1)' } },
    },
    {
      name: 'SYSCALL with a hex exe path holding a space',
      line: 'type=SYSCALL msg=audit(1773572400.731:9): syscall=59 success=yes pid=9 uid=0 comm="run" exe=2F6F70742F6D79206170702F72756E key="k"',
      expect: { fields: { 'process.executable': '/opt/my app/run', 'process.name': 'run' } },
    },
    {
      name: 'other record types keep their type',
      line: 'type=CWD msg=audit(1773572400.731:8812): cwd="/root/my dir"',
      expect: { event_type: 'audit_cwd', fields: { 'process.working_directory': '/root/my dir' } },
    },
    {
      name: 'enriched format: the part after GS is ignored',
      line: 'type=SYSCALL msg=audit(1773572400.731:5): syscall=59 success=yes pid=9 uid=0 comm="id" exe="/usr/bin/id" key="k"\u001dARCH=x86_64 SYSCALL=execve UID="root"',
      expect: { fields: { 'auditd.key': 'k' }, absent: ['auditd.ARCH', 'auditd.UID'] },
    },
    {
      name: 'through syslog (audisp) the record time wins',
      line: `${H} audispd: type=USER_AUTH msg=audit(1773572400.100:79): pid=1 uid=0 msg='op=PAM:authentication acct="bob" exe="/usr/bin/su" hostname=? addr=? terminal=pts/1 res=success'`,
      expect: { parser: 'auditd', event_type: 'authentication_success', host: 'app-4', fields: { 'user.name': 'bob', 'process.name': 'su' } },
    },
    {
      name: 'kernel audit line',
      line: `${H} kernel: audit: type=1400 audit(1773572400.300:80): apparmor="DENIED" operation="open" profile="snap.x" name="/etc/shadow" pid=5 comm="x"`,
      expect: { parser: 'auditd', event_type: 'audit_1400', fields: { 'file.path': '/etc/shadow', 'auditd.apparmor': 'DENIED' } },
    },
  ]);
  const viaSyslog = parseLine(`${H} audispd: type=USER_AUTH msg=audit(1773572400.100:79): pid=1 res=success`, OPTS);
  assert.equal(viaSyslog.timestampMs, 1773572400100);
});

test('decodeHex decodes even-length hex and leaves anything else alone', () => {
  assert.equal(decodeHex('2F746D70'), '/tmp');
  assert.equal(decodeHex('6869007468657265'), 'hi there', 'NUL separators become spaces');
  assert.equal(decodeHex('ABC'), 'ABC');
  assert.equal(decodeHex('zz'), 'zz');
  assert.equal(decodeHex('C3A9'), 'é');
  assert.equal(decodeHex('FF'), '\ufffd', 'invalid UTF-8 replaced');
});
