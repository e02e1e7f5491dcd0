// The message template with a live preview: the sample alert rendered by the server (the
// same renderer deliveries use) and what the channel kind would send, refreshed as one types.
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { TEMPLATE_VARIABLES } from '@siem/contracts';
import type { ChannelKind } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { usePreview } from '../api/preview.ts';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function TemplateEditor({ kind, value, onChange, error }: { kind: ChannelKind; value: string; onChange: (v: string) => void; error?: string | undefined }) {
  const template = useDebounced(value, 300);
  const preview = usePreview(template, kind);
  const problem = preview.error ? (isApiError(preview.error) && preview.error.details[0] ? preview.error.details[0].message : errorMessage(preview.error)) : null;
  return (
    <div className="notify-template">
      <Field label="Message template" error={error ?? problem} hint={<>Variables: {TEMPLATE_VARIABLES.map((v) => <code key={v}>{`{{${v}}}`}</code>).reduce<ReactNode[]>((acc, el, i) => (i ? [...acc, ' ', el] : [el]), [])}</>}>
        <textarea className="mono" rows={3} maxLength={2000} spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} data-testid="template-input" />
      </Field>
      <div className="notify-preview" aria-live="polite" data-testid="template-preview">
        <span className="muted small">Preview with a sample alert{preview.isFetching ? ' (updating…)' : ''}</span>
        <p className="notify-preview-text">{preview.data?.text ?? ''}{preview.data?.truncated ? <span className="muted"> (cut at 4,000 characters)</span> : null}</p>
        {preview.data?.message && (
          <details>
            <summary className="small">What {kind} receives</summary>
            <pre className="mono small notify-preview-message">{preview.data.message}</pre>
          </details>
        )}
      </div>
    </div>
  );
}
