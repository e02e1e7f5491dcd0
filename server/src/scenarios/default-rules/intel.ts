// The shipped threat-intel detection: an event the ingest path tagged with an indicator
// match raises an alert whose title names the list and the indicator (the rule groups by
// the match label enrichment writes), once per indicator per cooldown.
import { INTEL_MATCH_LABEL_FIELD } from '@siem/contracts';
import { builtin, type DefaultRule } from './common.ts';

export const INTEL_RULES: readonly DefaultRule[] = [
  builtin('builtin.network.threat-intel-match', {
    name: 'Threat intel indicator match',
    description:
      'An event carried an address, domain, URL or file hash listed in a threat-intel indicator ' +
      'list (the alert title names the list and the indicator; the event\'s ' +
      'threat.indicator.matches field lists every match with its field, source and confidence). ' +
      'Check first: which side of the event matched (an inbound connection from a listed address ' +
      'is common noise, an outbound one or a DNS lookup of a listed domain means a host talks to ' +
      'known bad infrastructure, often command and control over an application protocol, T1071), ' +
      'the indicator\'s confidence and source, and other events from ' +
      'the same host around that time. Stale or over-broad indicators are the usual false ' +
      'positives: lower their confidence, let them expire or remove them from the list.',
    rule_type: 'single',
    conditions: {
      event_filter: { [INTEL_MATCH_LABEL_FIELD]: { exists: true } },
      group_by: INTEL_MATCH_LABEL_FIELD,
    },
    severity: 'high',
    mitre_tactic: 'TA0011',
    mitre_technique: 'T1071',
    tags: ['threat-intel'],
  }),
];
