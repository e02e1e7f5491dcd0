// Suppression in the web client: the rule form's section round-trips the rule field
// (off is `false` on edit, nothing on create), local and server errors land at the key
// field or the duration they name, and alerts show "×N, last seen" once repeats counted.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../../src/lib/api-client.ts';
import { RuleForm } from '../../src/features/rules/components/rule-form.tsx';
import { AlertOccurrences } from '../../src/features/alerts/components/alert-occurrences.tsx';
import { bodyToDraft, draftToBody, emptyDraft } from '../../src/features/rules/utils/rule-draft.ts';
import { stubFetch } from './helpers.tsx';

function renderForm(ui: ReactNode) {
  stubFetch(() => [200, []]);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

const stored = (suppression: unknown) => ({
  name: 'Malware', rule_type: 'single', severity: 'high', description: '', enabled: true, mitre_tactic: null, mitre_technique: null,
  conditions: { event_filter: { event_type: 'malware_detected' } }, suppression,
});

describe('suppression in the rule draft', () => {
  it('round-trips the rule field', () => {
    const draft = bodyToDraft(stored({ fields: ['hostname', 'process.name'], duration_seconds: 900 }));
    expect(draft.suppression).toEqual({ enabled: true, fields: ['hostname', 'process.name'], duration_seconds: '900' });
    expect(draftToBody(draft, 'edit').suppression).toEqual({ fields: ['hostname', 'process.name'], duration_seconds: 900 });
    const off = bodyToDraft(stored(null));
    expect(off.suppression.enabled).toBe(false);
    expect(draftToBody(off, 'edit').suppression).toBe(false);
    expect('suppression' in draftToBody({ ...emptyDraft(), name: 'x' }, 'create')).toBe(false);
  });
});

describe('the Suppression section', () => {
  it('sends the key and duration, and turning it off on edit sends false', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    renderForm(<RuleForm mode="edit" initial={bodyToDraft(stored({ fields: ['hostname'], duration_seconds: 600 }))} submitLabel="Save" onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText('Suppression duration (seconds)'), { target: { value: '1200' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toEqual({ suppression: { fields: ['hostname'], duration_seconds: 1200 } });
    fireEvent.click(screen.getByLabelText(/Count repeats on the open alert/));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls[1]![0]).toEqual({ suppression: false });
  });

  it('checks locally and shows each error at its key field or the duration', async () => {
    const onSubmit = vi.fn();
    renderForm(<RuleForm mode="create" initial={{ ...bodyToDraft(stored(null)), rule_type: 'single' }} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByLabelText(/Count repeats on the open alert/));
    fireEvent.change(screen.getByLabelText('Suppression key field 1'), { target: { value: 'usrname' } });
    fireEvent.change(screen.getByLabelText('Suppression duration (seconds)'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(screen.getByLabelText('Suppression key field 1').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByLabelText('Suppression duration (seconds)').getAttribute('aria-invalid')).toBe('true');
    const section = screen.getByTestId('suppression-section').textContent ?? '';
    expect(section).toContain("Unknown field 'usrname'");
    expect(section).toContain('greater than or equal to 60');
    expect(screen.getByTestId('rule-errors').textContent).not.toContain('usrname');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows a server 422 at the key field it names', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(422, 'ValidationError', 'Validation failed', [
      { field: 'suppression.fields.1', message: "Field 'hostname' is named twice", type: 'value_error' },
    ]));
    renderForm(<RuleForm mode="create" initial={bodyToDraft(stored({ fields: ['hostname', 'username'], duration_seconds: 600 }))} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(screen.getByLabelText('Suppression key field 2').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByLabelText('Suppression key field 1').getAttribute('aria-invalid')).toBeNull();
  });
});

describe('AlertOccurrences', () => {
  it('shows ×N and the last sighting only when repeats were counted', () => {
    const { container, rerender } = render(<AlertOccurrences alert={{ occurrences: 1, last_seen_at: '2026-03-01T12:00:00.000Z' }} />);
    expect(container.textContent).toBe('');
    rerender(<AlertOccurrences alert={{ occurrences: 4, last_seen_at: '2026-03-01T12:30:00.000Z' }} />);
    expect(screen.getByTestId('alert-occurrences').textContent).toMatch(/^×4, last seen /);
  });
});
