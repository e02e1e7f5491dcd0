// Windows: Sysmon and Security event fields. Our Winlogbeat and NXLog parsers read a few
// events into ECS names (process creation from Sysmon 1 and Security 4688 alike, Sysmon 3,
// 11, 22) and keep every event's data under winlog.event_data.<Name>; a field is mapped to
// an ECS name only where the parser fills it for that logsource, else to the event data.
import { lower, type Logsource, type TaxonomyModule } from './types.ts';

const COMMON: Record<string, string> = {
  EventID: 'winlog.event_id',
  Channel: 'winlog.channel',
  Provider_Name: 'winlog.provider_name',
  Computer: 'host.name',
  ComputerName: 'host.name',
  Hostname: 'host.name',
};

/** Filled for every Sysmon event (interpretSysmon reads the process first). */
const SYSMON_PROCESS: Record<string, string> = {
  Image: 'process.executable',
  ProcessId: 'process.pid',
  ProcessGuid: 'process.entity_id',
  RuleName: 'rule.name',
};

const BY_CATEGORY: Record<string, Record<string, string>> = {
  process_creation: {
    ...SYSMON_PROCESS,
    NewProcessName: 'process.executable',
    CommandLine: 'process.command_line',
    ParentImage: 'process.parent.executable',
    ParentProcessName: 'process.parent.executable',
    ParentCommandLine: 'process.parent.command_line',
    ParentProcessId: 'process.parent.pid',
    CurrentDirectory: 'process.working_directory',
    OriginalFileName: 'process.pe.original_file_name',
    Hashes: 'process.hash',
    IntegrityLevel: 'winlog.integrity_level',
  },
  network_connection: {
    ...SYSMON_PROCESS,
    DestinationIp: 'destination.ip',
    DestinationPort: 'destination.port',
    DestinationHostname: 'destination.domain',
    SourceIp: 'source.ip',
    SourcePort: 'source.port',
    Protocol: 'network.transport',
  },
  file_event: { ...SYSMON_PROCESS, TargetFilename: 'file.path' },
  dns_query: { ...SYSMON_PROCESS, QueryName: 'dns.question.name' },
};

export const windowsTaxonomy: TaxonomyModule = {
  name: 'windows',
  applies: (ls) => lower(ls.product) === 'windows',
  fields(ls: Logsource) {
    const category = lower(ls.category);
    const specific = BY_CATEGORY[category] ?? (category !== '' || lower(ls.service) === 'sysmon' ? SYSMON_PROCESS : {});
    return { ...COMMON, ...specific };
  },
  // Winlogbeat keeps the event data under winlog.event_data; NXLog's flat keys land there too.
  fallback: (field) => `winlog.event_data.${field}`,
};
