// The public front page: what this is, and the way in.
import { Link } from 'react-router';

const FEATURES = [
  ['Live events', 'Every event normalized, rated by severity and streamed to your screen as it lands.'],
  ['Correlation', 'Threshold, sequence and aggregation rules raise alerts in real time, on event time.'],
  ['Triage', 'Acknowledge, investigate and resolve alerts with their matched events and full history.'],
  ['Attack replay', 'Play MITRE ATT&CK playbooks at any speed to see your rules fire.'],
] as const;

export function LandingPage() {
  return (
    <main className="landing">
      <header className="landing-head">
        <span className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          SIEM
        </span>
        <nav aria-label="Account">
          <Link className="btn btn-ghost" to="/login">
            Sign in
          </Link>
          <Link className="btn btn-primary" to="/register">
            Create account
          </Link>
        </nav>
      </header>
      <section className="hero">
        <h1>See attacks as they happen.</h1>
        <p>An open-source SIEM: ingest security events, correlate them into alerts in real time, and triage them with your team.</p>
        <div className="hero-actions">
          <Link className="btn btn-primary btn-large" to="/register">
            Get started
          </Link>
          <Link className="btn btn-large" to="/login">
            I have an account
          </Link>
        </div>
      </section>
      <section className="feature-grid" aria-label="Features">
        {FEATURES.map(([title, text]) => (
          <article key={title} className="card feature">
            <h2>{title}</h2>
            <p>{text}</p>
          </article>
        ))}
      </section>
    </main>
  );
}
