// Create or edit a channel: the kind's fields, routing, and the template with its preview.
// Secret fields are never shown: on edit they start empty and empty means "keep".
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { CHANNEL_KINDS, SEVERITIES } from '@siem/contracts';
import type { Channel, ChannelKind, Severity } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { FormError } from '../../../components/ui/states.tsx';
import { submitErrors } from '../../../lib/form-errors.ts';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { useSaveChannel } from '../api/channels.ts';
import { KIND_LABELS, emptyForm, formFieldOf, fromChannel, toCreateBody, toUpdateBody } from '../utils/channel-form.ts';
import type { ChannelForm as Form } from '../utils/channel-form.ts';
import { TemplateEditor } from './template-editor.tsx';

export function ChannelForm({ channel, onDone }: { channel: Channel | null; onDone: (id: string) => void }) {
  const save = useSaveChannel();
  const [f, setF] = useState<Form>(() => (channel ? fromChannel(channel) : emptyForm()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setF((prev) => ({ ...prev, [key]: value }));
  const isSet = (field: string) => channel?.secrets_set.includes(field) ?? false;
  const secretHint = (field: string, what: string): ReactNode => (isSet(field) ? `A ${what} is stored (${channel?.config[field] as string}); leave empty to keep it` : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate(channel ? { id: channel.id, update: toUpdateBody(f) } : { id: null, create: toCreateBody(f) }, {
      onSuccess: (saved) => onDone(saved.id),
      onError: (err) => setErrors(submitErrors(err, { mapField: formFieldOf, byStatus: { 409: 'name' } })),
    });
  };

  const text = (key: keyof Form, label: string, opts: { hint?: ReactNode; type?: string; placeholder?: string; required?: boolean; max?: number } = {}) => (
    <Field label={label} error={errors[key]} hint={opts.hint}>
      <input type={opts.type ?? 'text'} value={f[key] as string} placeholder={opts.placeholder} required={opts.required} maxLength={opts.max ?? 2000} autoComplete="off" onChange={(e) => set(key, e.target.value as never)} />
    </Field>
  );

  const title = channel ? `Edit ${channel.name}` : 'New channel';
  return (
    <form className="card panel form" onSubmit={submit} aria-labelledby="channel-form-title" data-testid="channel-form">
      <header className="panel-head"><h2 id="channel-form-title">{title}</h2></header>
      <div className="form-grid">
        {text('name', 'Name', { required: true, max: 100 })}
        <Field label="Kind" hint={channel ? 'The kind of a channel cannot change' : undefined}>
          <select value={f.kind} disabled={!!channel} onChange={(e) => setF({ ...emptyForm(e.target.value as ChannelKind), name: f.name, template: f.template })} data-testid="kind-select">
            {CHANNEL_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
          </select>
        </Field>
      </div>
      <label className="notify-check"><input type="checkbox" checked={f.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled</label>

      <fieldset className="notify-fieldset">
        <legend>Destination</legend>
        {(f.kind === 'webhook' || f.kind === 'slack' || f.kind === 'teams' || f.kind === 'mattermost') &&
          text('url', 'Webhook URL', { type: 'url', placeholder: isSet('url') ? '(stored, hidden)' : 'https://…', required: !isSet('url'), hint: secretHint('url', 'URL') ?? 'http or https; it is kept secret (it often holds a token)' })}
        {f.kind === 'webhook' && (
          <>
            {text('secret', 'Signing secret (HMAC-SHA256)', { type: 'password', placeholder: isSet('secret') ? '(stored, hidden)' : 'optional', hint: secretHint('secret', 'secret') ?? 'Requests carry X-SIEM-Signature and X-SIEM-Timestamp (see docs/notifications.md)', max: 512 })}
            <Field label="Custom headers, one per line" error={errors.headers} hint="Name: value. A value shown as ******** keeps the stored one">
              <textarea className="mono" rows={2} spellCheck={false} value={f.headers} onChange={(e) => set('headers', e.target.value)} />
            </Field>
          </>
        )}
        {f.kind === 'mattermost' && <div className="form-grid">{text('mmChannel', 'Channel override', { placeholder: 'optional', max: 100 })}{text('mmUsername', 'User name override', { placeholder: 'optional', max: 100 })}</div>}
        {(f.kind === 'email' || f.kind === 'syslog') && <div className="form-grid">{text('host', 'Host', { required: true, max: 255 })}{text('port', 'Port', { type: 'number', required: true })}</div>}
        {f.kind === 'email' && (
          <>
            <label className="notify-check"><input type="checkbox" checked={f.secure} onChange={(e) => set('secure', e.target.checked)} /> TLS from the start (usually port 465)</label>
            <label className="notify-check"><input type="checkbox" checked={f.requireTls} onChange={(e) => set('requireTls', e.target.checked)} /> Require STARTTLS</label>
            <div className="form-grid">
              {text('username', 'SMTP user', { placeholder: 'optional', max: 320 })}
              {text('password', 'SMTP password', { type: 'password', placeholder: isSet('password') ? '(stored, hidden)' : 'optional', hint: secretHint('password', 'password'), max: 512 })}
              {text('from', 'From', { type: 'email', required: true, max: 320 })}
              {text('to', 'To', { required: true, hint: 'Up to 20 addresses, separated by commas' })}
            </div>
          </>
        )}
        {f.kind === 'syslog' && (
          <div className="form-grid">
            <Field label="Protocol"><select value={f.protocol} onChange={(e) => set('protocol', e.target.value as 'udp' | 'tcp')}><option value="udp">UDP</option><option value="tcp">TCP</option></select></Field>
            {text('facility', 'Facility (0-23)', { type: 'number', hint: '16 = local0' })}
          </div>
        )}
      </fieldset>

      <fieldset className="notify-fieldset">
        <legend>Routing</legend>
        <div className="form-grid">
          <Field label="Minimum severity" error={errors.minSeverity}>
            <select value={f.minSeverity} onChange={(e) => set('minSeverity', e.target.value as Severity)} data-testid="min-severity">
              {[...SEVERITIES].reverse().map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </Field>
          {text('tactics', 'ATT&CK tactics', { placeholder: 'any', hint: 'Comma-separated, e.g. credential-access, persistence' })}
          {text('tags', 'Rule tags', { placeholder: 'any', hint: 'Comma or space separated, e.g. threat-intel: only alerts of rules with one of them' })}
        </div>
        <Field label="Rule ids, one per line" error={errors.ruleIds} hint="Empty: every rule">
          <textarea className="mono" rows={2} spellCheck={false} value={f.ruleIds} onChange={(e) => set('ruleIds', e.target.value)} />
        </Field>
      </fieldset>

      <TemplateEditor kind={f.kind} value={f.template} onChange={(v) => set('template', v)} error={errors.template} />
      <FormError message={errors._form} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>{save.isPending ? 'Saving…' : channel ? 'Save channel' : 'Create channel'}</button>
        <button type="button" className="btn" onClick={() => onDone('')}>Cancel</button>
      </div>
    </form>
  );
}
