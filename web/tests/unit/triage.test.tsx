// Triage panels: guidance text becomes bullets and paragraphs rendered as text (markup in a
// rule description stays text), pivots link to the logs page with its URL parameters, and
// the addresses and related alerts show what the context carries.
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import type { AlertContext } from '@siem/contracts';
import { guidanceBlocks, logsHref } from '../../src/features/alerts/api/triage-text.ts';
import { TriagePanels } from '../../src/features/alerts/components/triage-panels.tsx';
import { renderWithApp, stubFetch } from './helpers.tsx';

const ID = 'a'.repeat(24);
const window = { since: '2026-06-01T11:43:00.000Z', until: '2026-06-01T12:15:00.000Z' };

describe('guidance text', () => {
  it('turns the first sentence of a check-first text into a checklist, the rest into paragraphs', () => {
    const text = 'whether the address is external (block it, or not), which accounts it tried ("root, admin") and the time, ' +
      'and whether any login succeeded; then reset it. Block it. Shared NAT addresses are the false positive.';
    expect(guidanceBlocks(text, { checklist: true })).toEqual([
      { kind: 'list', items: ['Whether the address is external (block it, or not)', 'Which accounts it tried ("root, admin") and the time', 'Whether any login succeeded', 'Reset it'] },
      { kind: 'paragraph', text: 'Block it.' },
      { kind: 'paragraph', text: 'Shared NAT addresses are the false positive.' },
    ]);
  });

  it('keeps explicit bullets and lines', () => {
    expect(guidanceBlocks('Intro line\n- one\n* two\n\nAfter.')).toEqual([
      { kind: 'paragraph', text: 'Intro line' }, { kind: 'list', items: ['one', 'two'] }, { kind: 'paragraph', text: 'After.' },
    ]);
    expect(guidanceBlocks('One sentence. Two.')).toEqual([{ kind: 'paragraph', text: 'One sentence. Two.' }]);
  });

  it('builds logs URLs the logs page reads (custom range, one filter)', () => {
    expect(logsHref(window)).toBe('/logs?range=custom&since=2026-06-01T11%3A43%3A00.000Z&until=2026-06-01T12%3A15%3A00.000Z');
    expect(logsHref(window, { field: 'hostname', value: 'web 1&x' })).toContain('&hostname=web+1%26x');
  });
});

describe('triage panels', () => {
  it('renders the guidance as text, the addresses, the related alerts and the pivots', async () => {
    const ctx: AlertContext = {
      alert_id: ID,
      rule: {
        id: 'b'.repeat(24), name: 'Guessing', description: 'x', summary: 'Detects <b>guessing</b>.',
        check_first: 'the <img src=x onerror="alert(1)"> source. Whether it succeeded.', severity: 'high',
        mitre_tactic: null, mitre_technique: 'T1110', builtin_key: null, enabled: true,
      },
      addresses: [{
        ip: '203.0.113.7', roles: ['source'], event_count: 2,
        enrichment: {
          ip: '203.0.113.7', scope: 'public', country_code: 'NL', country_name: 'Netherlands', city: 'Amsterdam', asn: 64500, as_org: 'Example Hosting',
          indicators: [{ list_id: 'l1', list_name: 'Known scanners', indicator: '203.0.113.7', type: 'ip', field: 'source_ip', source: null, confidence: 80 }],
        },
      }, {
        ip: '10.0.0.5', roles: ['source', 'destination'], event_count: 1,
        enrichment: { ip: '10.0.0.5', scope: 'private', country_code: null, country_name: null, city: null, asn: null, as_org: null, indicators: [] },
      }],
      addresses_truncated: false,
      related: {
        hours: 6, since: window.since, until: window.until, hosts: ['web-1'], truncated: false,
        items: [{ id: 'c'.repeat(24), rule_id: 'b'.repeat(24), rule_name: 'Guessing', title: 'Guessing [alice]', severity: 'high', status: 'new', group_value: 'alice', fired_at: window.since, created_at: window.since, reasons: ['group_value'], hosts: [] }],
      },
      pivot: { ...window, filters: [{ field: 'hostname', value: 'web-1', event_count: 2 }, { field: 'username', value: 'alice', event_count: 2 }] },
    };
    const calls = stubFetch(() => [200, ctx]);
    const { container } = renderWithApp(<TriagePanels alertId={ID} ruleName="Guessing" />);
    await screen.findByText('Check first');
    expect(calls[0]!.url).toBe(`/api/v1/alerts/${ID}/context?hours=6`);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('The <img src=x onerror="alert(1)"> source')).toBeTruthy();
    expect(screen.getByText('Whether it succeeded.')).toBeTruthy();
    expect(screen.getByText('Known scanners')).toBeTruthy();
    expect(screen.getByText(/Amsterdam, Netherlands/)).toBeTruthy();
    expect(screen.getByText('private')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Guessing [alice]' }).getAttribute('href')).toBe(`/alerts/${'c'.repeat(24)}`);
    expect(screen.getByRole('link', { name: 'Logs around the alert' }).getAttribute('href')).toBe(logsHref(window));
    expect(screen.getByRole('link', { name: /Same host: web-1/ }).getAttribute('href')).toBe(logsHref(window, { field: 'hostname', value: 'web-1' }));
  });
});
