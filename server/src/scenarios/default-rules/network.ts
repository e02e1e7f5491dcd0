// Shipped network detections: port scans and host sweeps at the firewall, IDS exploit
// signatures and high-priority alerts, DNS tunnelling and HTTP(S) beaconing. DNS tunnelling
// is caught by the number of unique names and, for parsed DNS records, by the length and
// randomness of their labels (numbers the DNS parsers compute).
import { builtin, type DefaultRule } from './common.ts';

/** Snort/Suricata classtypes, short names and their descriptions, that mean exploitation. */
const EXPLOIT_CLASSES = [
  'attempted-admin',
  'attempted-user',
  'web-application-attack',
  'successful-admin',
  'successful-user',
  'Attempted Administrator Privilege Gain',
  'Attempted User Privilege Gain',
  'Web Application Attack',
  'Successful Administrator Privilege Gain',
  'Successful User Privilege Gain',
];

export const NETWORK_RULES: readonly DefaultRule[] = [
  builtin('builtin.network.port-scan', {
    name: 'Port scan: many destination ports from one source',
    description:
      'Firewall events from one source address touching at least 15 distinct destination ports ' +
      'within 60 seconds, allowed or denied: a port scan (T1046), usually the prelude to an ' +
      'attack on whatever answered. Check first: which ports were allowed (those services are ' +
      'the next target; look for exploit or login attempts on them from the same address), ' +
      'whether IDS events name the scanner, and whether the source is internal (an internal ' +
      'scanner that is not the vulnerability-management host means a compromised machine). ' +
      'Known scanners and monitoring hosts are the false positives: exclude them with a ' +
      'source_ip filter.',
    rule_type: 'aggregation',
    conditions: {
      event_filter: { source_type: 'firewall' },
      aggregation: 'count_distinct',
      aggregation_field: 'dest_port',
      threshold: 15,
      window_seconds: 60,
      group_by: 'source_ip',
    },
    severity: 'medium',
    mitre_tactic: 'TA0007',
    mitre_technique: 'T1046',
  }),
  builtin('builtin.network.host-sweep', {
    name: 'Host sweep: one source blocked on many destinations',
    description:
      'One source address denied by the firewall on at least 20 distinct destination addresses ' +
      'within 2 minutes: a network sweep looking for live hosts or one open service across a ' +
      'range (T1046). Check first: the destination range and port (one port on many hosts means ' +
      'a worm or a hunt for one vulnerable service), whether the source is internal (then ' +
      'isolate it and look for what runs the sweep), and any allowed connections from it in ' +
      'the same minutes. Misconfigured discovery tools and inventory agents are the usual false ' +
      'positives.',
    rule_type: 'aggregation',
    conditions: {
      event_filter: {
        source_type: 'firewall',
        'normalized.action': { in: ['deny', 'denied', 'drop', 'dropped', 'reject', 'rejected', 'block', 'blocked'] },
      },
      aggregation: 'count_distinct',
      aggregation_field: 'dest_ip',
      threshold: 20,
      window_seconds: 120,
      group_by: 'source_ip',
    },
    severity: 'medium',
    mitre_tactic: 'TA0007',
    mitre_technique: 'T1046',
  }),
  builtin('builtin.network.ids-exploit', {
    name: 'IDS: exploit attempt against an exposed service',
    description:
      'An IDS alert classified as an administrator or user privilege gain or a web application ' +
      'attack (Snort/Suricata classtypes attempted-admin, attempted-user, web-application-attack): ' +
      'someone is trying to exploit a service (T1190). The signature name says which ' +
      'vulnerability. Check first: whether the target runs the vulnerable product and version, ' +
      'the HTTP status and size of the matching web request, and above all what the target did ' +
      'next: new processes spawned by the service, outbound connections to the attacker. Patch or ' +
      'shield the service; block the source.',
    rule_type: 'threshold',
    conditions: {
      event_filter: { source_type: 'ids', 'normalized.classification': { in: EXPLOIT_CLASSES } },
      threshold: 1,
      window_seconds: 60,
      group_by: 'source_ip',
    },
    severity: 'high',
    mitre_tactic: 'TA0001',
    mitre_technique: 'T1190',
  }),
  builtin('builtin.network.ids-high-priority', {
    name: 'IDS: high-priority alert',
    description:
      'The IDS raised an alert of its highest priority (Suricata severity 1, Snort priority 1): ' +
      'the signature writers consider it serious whatever its class: exploitation of an exposed ' +
      'service (T1190), malware command and control, shellcode or a successful attack. Each ' +
      'such alert is passed through, at most one per source address per cooldown. Check first: ' +
      'the signature name and category in the event (they say what was seen), whether the ' +
      'target runs what the signature is about, and what happened between the two addresses ' +
      'before and after (firewall, proxy and endpoint events of the target). An exploit-class ' +
      'signature also raises "IDS: exploit attempt"; triage them together. Signatures that fire ' +
      'on your own scanners or on benign traffic should be tuned in the IDS itself.',
    rule_type: 'threshold',
    conditions: { event_filter: { source_type: 'ids', 'normalized.priority': { lte: 1 } }, threshold: 1, window_seconds: 60, group_by: 'source_ip' },
    severity: 'high',
    mitre_tactic: 'TA0001',
    mitre_technique: 'T1190',
  }),
  builtin('builtin.network.dns-unique-burst', {
    name: 'DNS exfiltration: burst of unique names from one host',
    description:
      'One client asked the resolver for at least 40 distinct names within 60 seconds: the shape ' +
      'of data smuggled out in DNS subdomains, each query carrying a new chunk (T1048). Check ' +
      'first: whether most names share one parent domain with long random-looking labels (that ' +
      'domain is the attacker zone: block it at the resolver), the process on the client that ' +
      'sends them, and files archived or read just before. The rule counts names, whatever ' +
      'they look like (the long-label and random-label rules judge the names themselves), so ' +
      'busy clients such as proxies, mail servers, crawlers or DNS forwarders logged as the ' +
      'client can reach it: exclude them by source_ip.',
    rule_type: 'aggregation',
    conditions: {
      event_filter: { source_type: 'dns' },
      aggregation: 'count_distinct',
      aggregation_field: 'normalized.query',
      threshold: 40,
      window_seconds: 60,
      group_by: 'source_ip',
    },
    severity: 'high',
    mitre_tactic: 'TA0010',
    mitre_technique: 'T1048',
  }),
  builtin('builtin.network.dns-txt-tunnel', {
    name: 'DNS tunnelling: many unique TXT or NULL lookups from one host',
    description:
      'One client looked up at least 15 distinct TXT or NULL records within 2 minutes. ' +
      'Workstations almost never do; DNS tunnel tools (dnscat2, iodine and many implants) use ' +
      'these record types to carry commands and data (T1071.004). Check first: the common parent ' +
      'domain of the names and when it was registered, the responses (encoded blobs), and the ' +
      'process on the client. Mail servers checking SPF, DKIM and DMARC do many TXT lookups: ' +
      'exclude them by source_ip.',
    rule_type: 'aggregation',
    conditions: {
      event_filter: { source_type: 'dns', 'normalized.query_type': { in: ['TXT', 'NULL'] } },
      aggregation: 'count_distinct',
      aggregation_field: 'normalized.query',
      threshold: 15,
      window_seconds: 120,
      group_by: 'source_ip',
    },
    severity: 'high',
    mitre_tactic: 'TA0011',
    mitre_technique: 'T1071.004',
  }),
  builtin('builtin.network.dns-long-labels', {
    name: 'DNS tunnelling: unique names with very long labels',
    description:
      'One client asked for at least 10 distinct names within 60 seconds whose longest label has ' +
      '50 characters or more (the DNS limit is 63): data packed into subdomains, as dnscat2, ' +
      'iodine and DNS exfiltration scripts do (T1071.004). Ordinary names rarely have labels ' +
      'this long, and a long name that repeats (a CDN or tracking host) counts once. Check first: ' +
      'the common parent domain of the names (the attacker zone: block it at the resolver) and ' +
      'its registration date, the process on the client that sends the queries, and files read ' +
      'or archived just before. Security products that look up file hashes over DNS (antivirus ' +
      'and reputation services) are the usual false positive: exclude their domains or clients.',
    rule_type: 'aggregation',
    conditions: {
      event_filter: { 'fields.dns.question.longest_label_length': { gte: 50 } },
      aggregation: 'count_distinct',
      aggregation_field: 'fields.dns.question.name',
      threshold: 10,
      window_seconds: 60,
      group_by: 'source_ip',
    },
    severity: 'high',
    mitre_tactic: 'TA0011',
    mitre_technique: 'T1071.004',
  }),
  builtin('builtin.network.dns-random-labels', {
    name: 'DNS tunnelling: unique names with random-looking labels',
    description:
      'One client asked for at least 10 distinct names within 60 seconds with a label of 4 or ' +
      'more bits of entropy per character (and under 50 characters, which the long-label rule ' +
      'covers): base32 or base64 chunks of encoded data rather than words, the signature of DNS ' +
      'tunnels and of malware that generates its domains (T1071.004). Check first: whether the ' +
      'names share one parent domain (a tunnel: block that zone) or are many random domains ' +
      'mostly answered NXDOMAIN (a domain generation algorithm: find the infected process), ' +
      'and what the client did before. Some CDNs and cloud services use random host labels: ' +
      'exclude their parent domains if they trigger it.',
    rule_type: 'aggregation',
    conditions: {
      event_filter: {
        'fields.dns.question.max_label_entropy': { gte: 4 },
        'fields.dns.question.longest_label_length': { lt: 50 },
      },
      aggregation: 'count_distinct',
      aggregation_field: 'fields.dns.question.name',
      threshold: 10,
      window_seconds: 60,
      group_by: 'source_ip',
    },
    severity: 'high',
    mitre_tactic: 'TA0011',
    mitre_technique: 'T1071.004',
  }),
  builtin('builtin.network.http-beacon', {
    name: 'C2 beaconing: repeated small web requests to one external address',
    description:
      'At least 10 small (at most 2 KB) proxy requests from internal clients (10.0.0.0/8) to the ' +
      'same destination address within 10 minutes: the steady check-ins of an implant polling ' +
      'its command-and-control server (T1071.001). Check first: how many internal clients talk ' +
      'to that address (one client and a regular interval is the beacon pattern; many clients ' +
      'means a popular service), the URL, user agent and domain age, and the process making the ' +
      'connections on the client. Update checkers and chat or mail clients polling their servers ' +
      'are the false positives: exclude those destinations with a dest_ip filter. Adjust the ' +
      'source range if your internal network is not 10.0.0.0/8.',
    rule_type: 'threshold',
    conditions: {
      event_filter: {
        source_type: 'proxy',
        source_ip: { cidr: '10.0.0.0/8' },
        'normalized.bytes_transferred': { lte: 2048 },
      },
      threshold: 10,
      window_seconds: 600,
      group_by: 'dest_ip',
    },
    severity: 'high',
    mitre_tactic: 'TA0011',
    mitre_technique: 'T1071.001',
  }),
];
