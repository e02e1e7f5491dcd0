// Shown until the first event arrives: how to point logs at this server, with commands
// built from the inputs that listen (their ports) and the HTTP endpoint of this origin.
import type { InputSnapshot } from '@siem/contracts';

/** host:port of an input as a sender should write it: a wildcard bind becomes this server's name. */
export function senderAddress(address: string, pageHost: string): { host: string; port: string } | null {
  const cut = address.lastIndexOf(':');
  if (cut <= 0) return null;
  let host = address.slice(0, cut).replace(/^\[|\]$/g, '');
  const port = address.slice(cut + 1);
  if (host === '0.0.0.0' || host === '::' || host === '') host = pageHost;
  return { host: host.includes(':') ? `[${host}]` : host, port };
}

interface Example {
  title: string;
  code: string;
}

/** Copy-paste examples for one listening input, by the kind of input it is. */
export function examplesFor(input: InputSnapshot, pageHost: string): Example[] {
  if (input.state !== 'listening' || !input.address) return [];
  const at = senderAddress(input.address, pageHost);
  if (!at) return [];
  const { host, port } = at;
  const kind = input.kind.toLowerCase();
  if (kind.includes('tls')) {
    return [{ title: `${input.name}: syslog over TLS (rsyslog)`, code: `*.* action(type="omfwd" target="${host}" port="${port}" protocol="tcp"\n       StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="anon")` }];
  }
  if (kind.includes('udp')) {
    return [
      { title: `${input.name}: test with logger`, code: `logger -d -n ${host} -P ${port} "hello from $(hostname)"` },
      { title: 'rsyslog over UDP (/etc/rsyslog.d/90-siem.conf)', code: `*.* @${host}:${port}` },
    ];
  }
  if (kind.includes('tcp')) {
    return [
      { title: `${input.name}: test with logger`, code: `logger -T -n ${host} -P ${port} "hello from $(hostname)"` },
      { title: 'rsyslog over TCP (/etc/rsyslog.d/90-siem.conf)', code: `*.* @@${host}:${port}` },
    ];
  }
  if (kind.includes('hec') || kind.includes('splunk')) {
    return [{ title: `${input.name}: Splunk HEC`, code: `curl http://${host}:${port}/services/collector/event -H 'Authorization: Splunk <key>' -d '{"event": "hello"}'` }];
  }
  if (kind.includes('elastic') || kind.includes('bulk') || kind.includes('shipper')) {
    return [{ title: `${input.name}: Filebeat / Winlogbeat (filebeat.yml)`, code: `output.elasticsearch:\n  hosts: ["http://${host}:${port}"]` }];
  }
  return [];
}

export function GettingStarted({ inputs, origin = window.location.origin, pageHost = window.location.hostname }: { inputs: InputSnapshot[]; origin?: string; pageHost?: string }) {
  const examples = inputs.flatMap((i) => examplesFor(i, pageHost));
  return (
    <section className="card panel getting-started" aria-labelledby="start-title" data-testid="sources-empty">
      <header className="panel-head"><h2 id="start-title">No logs received yet: point your logs here</h2></header>
      <p className="muted">
        Send syslog from your servers, or ship with the tools you already run (rsyslog, syslog-ng, Fluent Bit, Vector,
        Filebeat, Winlogbeat, NXLog). Lines are recognized automatically (OpenSSH, sudo, PAM, nginx, Suricata EVE, Zeek,
        Windows events, CEF...); anything else is stored as a generic event and listed below as unparsed.
      </p>
      {examples.length === 0 && (
        <p className="notice">
          No network input is listening. Syslog and shipper listeners are set with <code>SYSLOG_UDP_PORT</code>,{' '}
          <code>SYSLOG_TCP_PORT</code>, <code>SYSLOG_TLS_PORT</code> and <code>SHIPPER_PORT</code> (0 turns one off); the
          HTTP endpoint below works without them.
        </p>
      )}
      <div className="example-grid">
        {examples.map((e) => (
          <figure key={e.title} className="example">
            <figcaption className="small muted">{e.title}</figcaption>
            <pre className="code">{e.code}</pre>
          </figure>
        ))}
        <figure className="example">
          <figcaption className="small muted">Any file over HTTP, one event per line</figcaption>
          <pre className="code">{`curl -H 'Content-Type: text/plain' --data-binary @/var/log/auth.log \\\n  ${origin}/api/v1/logs/raw`}</pre>
        </figure>
      </div>
      <p className="small muted">The README's "Inputs" section has complete configurations for each shipper.</p>
    </section>
  );
}
