// Linux: process and file events (auditd EXECVE records, ECS documents from endpoint agents)
// and auditd records by their own keys. Our auditd parser reads the common keys into ECS
// names and keeps the others under auditd.<key>.
import { lower, type TaxonomyModule } from './types.ts';

const PROCESS: Record<string, string> = {
  Image: 'process.executable',
  CommandLine: 'process.command_line',
  ParentImage: 'process.parent.executable',
  ParentCommandLine: 'process.parent.command_line',
  CurrentDirectory: 'process.working_directory',
  ProcessId: 'process.pid',
  ParentProcessId: 'process.parent.pid',
  User: 'user.name',
  TargetFilename: 'file.path',
  DestinationIp: 'destination.ip',
  DestinationPort: 'destination.port',
  DestinationHostname: 'destination.domain',
  SourceIp: 'source.ip',
  SourcePort: 'source.port',
  Protocol: 'network.transport',
};

const AUDITD: Record<string, string> = {
  type: 'auditd.type',
  exe: 'process.executable',
  comm: 'auditd.comm',
  key: 'auditd.key',
  name: 'file.path',
  cwd: 'process.working_directory',
  proctitle: 'process.command_line',
  cmd: 'process.command_line',
  uid: 'user.id',
  euid: 'user.effective.id',
  auid: 'user.audit.id',
  acct: 'user.name',
  pid: 'process.pid',
  ppid: 'process.parent.pid',
  terminal: 'process.tty.name',
  SYSCALL: 'auditd.syscall',
};

export const linuxTaxonomy: TaxonomyModule = {
  name: 'linux',
  applies: (ls) => lower(ls.product) === 'linux',
  fields: (ls) => (lower(ls.service) === 'auditd' ? AUDITD : PROCESS),
  fallback: (field, ls) => (lower(ls.service) === 'auditd' ? `auditd.${field}` : `fields.${field}`),
};
