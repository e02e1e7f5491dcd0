// The Notifications form's conversions: what each kind sends, secrets left out when empty
// (kept on edit), header values masked on edit, and server detail fields mapped to inputs.
import { describe, expect, it } from 'vitest';
import { ChannelCreateSchema, SECRET_MASK } from '@siem/contracts';
import type { Channel } from '@siem/contracts';
import { configOf, emptyForm, formFieldOf, fromChannel, parseHeaders, toCreateBody, toUpdateBody } from '../../src/features/notifications/utils/channel-form.ts';

describe('notification channel form', () => {
  it('builds a create body the contract accepts, for every kind', () => {
    const forms = [
      { ...emptyForm('webhook'), name: 'w', url: 'https://hooks.example.org/x', secret: 'k', headers: 'X-Tenant: blue\nAuthorization: Bearer t' },
      { ...emptyForm('slack'), name: 's', url: 'https://hooks.slack.com/services/T/B/X' },
      { ...emptyForm('teams'), name: 't', url: 'https://example.webhook.office.com/x' },
      { ...emptyForm('mattermost'), name: 'm', url: 'https://mm.example.org/hooks/k', mmChannel: 'sec' },
      { ...emptyForm('email'), name: 'e', host: 'smtp.example.org', from: 'siem@example.org', to: 'a@example.org, b@example.org' },
      { ...emptyForm('syslog'), name: 'y', host: '192.0.2.10', protocol: 'tcp' as const },
    ];
    for (const f of forms) {
      const parsed = ChannelCreateSchema.safeParse(toCreateBody({ ...f, ruleIds: '', tactics: 'credential-access, persistence' }));
      expect(parsed.success, `${f.kind}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    expect(configOf(forms[4]!).to).toEqual(['a@example.org', 'b@example.org']);
    expect(parseHeaders('X-Tenant: blue\n\nA: b:c')).toEqual({ 'X-Tenant': 'blue', A: 'b:c' });
  });

  it('on edit, secrets start empty, header values masked, and empty secrets are left out of the PATCH', () => {
    const channel: Channel = {
      id: '665f1c2e9b1e8a3d4c7f0a12', name: 'hook', kind: 'webhook', enabled: true,
      config: { url: `https://hooks.example.org/${SECRET_MASK}`, secret: SECRET_MASK, headers: { Authorization: SECRET_MASK } },
      secrets_set: ['url', 'secret', 'headers'], routing: { min_severity: 'high', rule_ids: [], tactics: ['persistence'], tags: ['threat-intel', 'pci'] }, template: '{{alert.title}}',
      created_by: 'admin', created_at: '2026-03-01T00:00:00.000Z', updated_at: '2026-03-01T00:00:00.000Z',
    };
    const f = fromChannel(channel);
    expect(f.url).toBe('');
    expect(f.secret).toBe('');
    expect(f.headers).toBe(`Authorization: ${SECRET_MASK}`);
    const body = toUpdateBody(f);
    expect(body.config).toEqual({ headers: { Authorization: SECRET_MASK } });
    expect(f.tags).toBe('threat-intel, pci');
    expect(body.routing).toEqual({ min_severity: 'high', rule_ids: [], tactics: ['persistence'], tags: ['threat-intel', 'pci'] });
    expect(toUpdateBody({ ...f, tags: 'threat-intel  pci,,ssh' }).routing?.tags).toEqual(['threat-intel', 'pci', 'ssh']);
  });

  it('maps server detail fields to the inputs', () => {
    expect(formFieldOf('config.url')).toBe('url');
    expect(formFieldOf('config.to.1')).toBe('to');
    expect(formFieldOf('config.headers.Bad Header')).toBe('headers');
    expect(formFieldOf('routing.rule_ids.0')).toBe('ruleIds');
    expect(formFieldOf('routing.tags.1')).toBe('tags');
    expect(formFieldOf('template')).toBe('template');
    expect(formFieldOf('whatever')).toBe('_form');
  });
});
