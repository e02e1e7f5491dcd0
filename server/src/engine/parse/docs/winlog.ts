// Windows events as the two common shippers send them. Winlogbeat: ECS with winlog.event_id,
// winlog.channel, winlog.provider_name, winlog.event_data.* (and user_data for 1102). NXLog
// (im_msvistalog + to_json): flat EventID, Channel, SourceName, Hostname, EventTime and the
// event data as top-level keys. Both go through interpretWindowsEvent.
import { readTimeValue } from '../time-formats.ts';
import type { ParsedFields } from '../types.ts';
import { countFields, flatten, get, isObject, own, set, text, uint } from './read.ts';
import { docResult, type DocParser } from './types.ts';
import { interpretWindowsEvent, isSysmon, type EventData } from './windows-events.ts';

export const winlogbeatParser: DocParser = {
  name: 'winlog',
  hints: ['winlog', 'winlogbeat', 'windows', 'sysmon'],
  detect(doc) {
    return get(doc, 'winlog.event_id') !== undefined || (get(doc, 'winlog.channel') !== undefined && get(doc, 'event.code') !== undefined);
  },
  parse(doc, ctx) {
    const id = uint(get(doc, 'winlog.event_id')) ?? uint(get(doc, 'event.code'));
    if (id === undefined) return null;
    const channel = text(get(doc, 'winlog.channel'));
    const provider = text(get(doc, 'winlog.provider_name'));
    const eventData = get(doc, 'winlog.event_data');
    const userData = get(doc, 'winlog.user_data');
    // Nested event data is read directly; only documents written with dotted keys
    // ("winlog.event_data.TargetUserName") need the path search.
    const nested = isObject(eventData) || isObject(userData);
    const data: EventData = (name) => {
      if (isObject(eventData) && Object.hasOwn(eventData, name)) return eventData[name];
      if (isObject(userData) && Object.hasOwn(userData, name)) return userData[name];
      return nested ? undefined : get(doc, `winlog.event_data.${name}`);
    };
    const fields: ParsedFields = { 'winlog.event_id': id, 'event.code': String(id) };
    set(fields, 'winlog.channel', channel);
    set(fields, 'winlog.provider_name', provider);
    const meaning = interpretWindowsEvent(id, isSysmon(channel, provider), data, fields);
    const host = text(get(doc, 'winlog.computer_name')) ?? text(get(doc, 'host.name')) ?? text(get(doc, 'host.hostname')) ?? null;
    if (host !== null) fields['host.name'] = host;
    // The whole document stays reachable (winlog.event_data.*, ECS fields a processor added).
    flatten(fields, '', doc, ctx.maxFields - countFields(fields), SKIP_BEATS);
    return docResult({
      parser: 'winlog',
      source_type: meaning.source_type,
      event_type: meaning.event_type,
      fields,
      timestampMs: readTimeValue(get(doc, '@timestamp'), ctx.zone),
      host,
      message: firstLine(text(own(doc, 'message'))) ?? meaning.message,
    });
  },
};

const SKIP_BEATS = new Set(['@timestamp', 'message', 'event.original']);

// NXLog's own keys around the event data (im_msvistalog fields, the receive-side additions).
const NXLOG_ENVELOPE = new Set([
  'EventTime', 'EventReceivedTime', 'Hostname', 'Keywords', 'EventType', 'SeverityValue', 'Severity', 'EventID',
  'SourceName', 'ProviderGuid', 'Version', 'Task', 'OpcodeValue', 'RecordNumber', 'ActivityID', 'RelatedActivityID',
  'ProcessID', 'ThreadID', 'Channel', 'Domain', 'AccountName', 'UserID', 'AccountType', 'Category', 'Opcode',
  'Message', 'SourceModuleName', 'SourceModuleType', 'ERRORINFO', 'Level', 'LevelValue',
  'ExecutionProcessID', 'ExecutionThreadID', 'TaskValue',
]);

export const nxlogParser: DocParser = {
  name: 'nxlog',
  hints: ['nxlog', 'windows', 'sysmon', 'eventlog'],
  detect(doc) {
    return own(doc, 'EventID') !== undefined && (own(doc, 'Channel') !== undefined || own(doc, 'SourceName') !== undefined);
  },
  parse(doc, ctx) {
    const id = uint(own(doc, 'EventID'));
    if (id === undefined) return null;
    const channel = text(own(doc, 'Channel'));
    const provider = text(own(doc, 'SourceName'));
    const data: EventData = (name) => own(doc, name);
    const fields: ParsedFields = { 'winlog.event_id': id, 'event.code': String(id), 'observer.product': 'NXLog' };
    set(fields, 'winlog.channel', channel);
    set(fields, 'winlog.provider_name', provider);
    const meaning = interpretWindowsEvent(id, isSysmon(channel, provider), data, fields);
    const host = text(own(doc, 'Hostname')) ?? null;
    if (host !== null) fields['host.name'] = host;
    let budget = ctx.maxFields - countFields(fields);
    for (const key in doc) {
      if (budget <= 0) break;
      if (!Object.hasOwn(doc, key) || key === 'Message') continue;
      const name = NXLOG_ENVELOPE.has(key) ? `nxlog.${key}` : `winlog.event_data.${key}`;
      budget -= flatten(fields, name, doc[key], budget);
    }
    // EventTime is the sender's local time ("2026-03-15 11:00:00") unless NXLog was told to write ISO.
    const time = readTimeValue(own(doc, 'EventTime'), ctx.zone) ?? readTimeValue(own(doc, 'EventReceivedTime'), ctx.zone);
    return docResult({
      parser: 'nxlog',
      source_type: meaning.source_type,
      event_type: meaning.event_type,
      fields,
      timestampMs: time,
      host,
      message: firstLine(text(own(doc, 'Message'))) ?? meaning.message,
      pid: uint(own(doc, 'ProcessID')) ?? uint(own(doc, 'ExecutionProcessID')) ?? null,
    });
  },
};

/** Windows messages run over many lines; the first says what happened. */
function firstLine(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const end = message.search(/\r?\n/);
  return (end < 0 ? message : message.slice(0, end)).trim() || undefined;
}
