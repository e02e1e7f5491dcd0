// The rule form and its model: server 422 details land on the field they name (condition
// paths are relative to `conditions`), a 409 lands on the name, local checks use the
// shared contracts, and the draft <-> body round trip keeps the rule intact.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../src/lib/api-client.ts';
import { RuleForm } from '../../src/features/rules/components/rule-form.tsx';
import { bodyToDraft, draftToBody, emptyDraft, ruleFieldKey, validateBody } from '../../src/features/rules/utils/rule-draft.ts';
import type { RuleDraft } from '../../src/features/rules/utils/rule-draft.ts';

const validDraft = (patch: Partial<RuleDraft> = {}): RuleDraft => ({
  ...emptyDraft(),
  name: 'Brute force',
  filter: [{ key: 'event_type', op: 'eq', value: 'login_failure' }],
  ...patch,
});

describe('rule error paths', () => {
  it('keeps top-level fields and puts condition paths under conditions', () => {
    expect(ruleFieldKey('name')).toBe('name');
    expect(ruleFieldKey('mitre_technique')).toBe('mitre_technique');
    expect(ruleFieldKey('threshold')).toBe('conditions.threshold');
    expect(ruleFieldKey('steps.0.event_filter')).toBe('conditions.steps.0.event_filter');
    expect(ruleFieldKey('event_filter.source_ip.cidr')).toBe('conditions.event_filter.source_ip.cidr');
  });
});

describe('rule draft', () => {
  it('turns operator rows into filter objects and back', () => {
    const draft = validDraft({
      filter: [
        { key: 'event_type', op: 'eq', value: 'login_failure' },
        { key: 'source_ip', op: 'cidr', value: '10.0.0.0/8' },
        { key: 'dest_port', op: 'gte', value: '1024' },
        { key: 'username', op: 'in', value: 'root, admin' },
        { key: 'hostname', op: 'exists', value: 'false' },
      ],
      cooldown_seconds: '60',
    });
    const body = draftToBody(draft, 'create');
    expect(body).toMatchObject({
      name: 'Brute force',
      rule_type: 'threshold',
      cooldown_seconds: 60,
      conditions: {
        event_filter: { event_type: 'login_failure', source_ip: { cidr: '10.0.0.0/8' }, dest_port: { gte: 1024 }, username: { in: ['root', 'admin'] }, hostname: { exists: false } },
        threshold: 5,
        window_seconds: 300,
        group_by: 'source_ip',
      },
    });
    expect(body).not.toHaveProperty('mitre_tactic');
    expect(validateBody(body, 'create', 'threshold')).toEqual([]);
    const back = bodyToDraft(body);
    expect(draftToBody(back, 'create')).toEqual(body);
  });

  it('keeps condition keys the form has no input for', () => {
    const draft = bodyToDraft({ name: 'x', rule_type: 'threshold', severity: 'high', conditions: { event_filter: {}, threshold: 2, window_seconds: 60, group_by: 'username', note: 'keep me' } });
    expect(draftToBody(draft, 'edit').conditions).toMatchObject({ note: 'keep me', threshold: 2 });
  });

  it('builds sequence steps and checks them with the contract', () => {
    const draft = validDraft({ rule_type: 'sequence', steps: [{ filter: [{ key: 'event_type', op: 'eq', value: 'login_failure' }], count: '5' }] });
    const body = draftToBody(draft, 'create');
    expect(body.conditions).toMatchObject({ steps: [{ event_filter: { event_type: 'login_failure' }, count: 5 }] });
    const details = validateBody(body, 'create', 'sequence');
    expect(details.map((d) => d.field)).toContain('steps');
  });

  it('reports local errors with the same relative paths as the server', () => {
    const body = draftToBody(validDraft({ name: '', threshold: '0', group_by: 'usrname' }), 'create');
    const fields = validateBody(body, 'create', 'threshold').map((d) => ruleFieldKey(d.field));
    expect(fields).toEqual(expect.arrayContaining(['name', 'conditions.threshold', 'conditions.group_by']));
  });
});

describe('RuleForm', () => {
  it('shows the server 422 details at their fields', async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      new ApiError(422, 'ValidationError', 'Validation failed', [
        { field: 'threshold', message: 'Input should be greater than or equal to 1', type: 'greater_than_equal' },
        { field: 'event_filter.source_ip', message: "Unknown operator 'regex'", type: 'value_error' },
        { field: 'mitre_technique', message: 'Expected a MITRE ATT&CK technique id', type: 'string_pattern_mismatch' },
      ]),
    );
    const draft = validDraft({ filter: [{ key: 'source_ip', op: 'eq', value: '1.2.3.4' }] });
    render(<RuleForm mode="create" initial={draft} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    const threshold = await screen.findByLabelText('Fires at events');
    await waitFor(() => expect(threshold.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(threshold.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent).toContain('greater than or equal to 1');
    expect(screen.getByLabelText('MITRE technique').getAttribute('aria-invalid')).toBe('true');
    // The filter error is shown on the row of the field it names.
    expect(screen.getByLabelText('Value 1').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getAllByText("Unknown operator 'regex'").length).toBeGreaterThan(0);
  });

  it('shows a step error of a sequence rule on that step', async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      new ApiError(422, 'ValidationError', 'Validation failed', [{ field: 'steps.1.event_filter', message: 'Input should be a valid dictionary', type: 'dict_type' }]),
    );
    const draft = validDraft({
      rule_type: 'sequence',
      steps: [
        { filter: [{ key: 'event_type', op: 'eq', value: 'login_failure' }], count: '3' },
        { filter: [{ key: 'event_type', op: 'eq', value: 'login_success' }], count: '' },
      ],
    });
    render(<RuleForm mode="create" initial={draft} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    const step2 = await screen.findByRole('group', { name: 'Step 2' });
    await waitFor(() => expect(step2.textContent).toContain('Input should be a valid dictionary'));
    expect(screen.getByRole('group', { name: 'Step 1' }).textContent).not.toContain('valid dictionary');
  });

  it('puts a duplicate name (409) at the name field', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(409, 'ConflictError', 'A rule with this name already exists'));
    render(<RuleForm mode="create" initial={validDraft()} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getAllByText(/already exists/).length).toBeGreaterThan(0);
  });

  it('checks locally first and does not submit an invalid rule', async () => {
    const onSubmit = vi.fn();
    render(<RuleForm mode="create" initial={validDraft({ threshold: '0' })} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(screen.getByLabelText('Fires at events').getAttribute('aria-invalid')).toBe('true'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('edits the same rule in the JSON view', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<RuleForm mode="create" initial={validDraft()} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('tab', { name: 'JSON' }));
    const editor = screen.getByLabelText('Rule as JSON') as HTMLTextAreaElement;
    const body = JSON.parse(editor.value);
    body.conditions.threshold = 9;
    fireEvent.change(editor, { target: { value: JSON.stringify(body) } });
    fireEvent.click(screen.getByRole('tab', { name: 'Form' }));
    expect((screen.getByLabelText('Fires at events') as HTMLInputElement).value).toBe('9');
    fireEvent.click(screen.getByRole('tab', { name: 'JSON' }));
    fireEvent.change(screen.getByLabelText('Rule as JSON'), { target: { value: '{ not json' } });
    fireEvent.click(screen.getByRole('tab', { name: 'Form' }));
    expect(screen.getByText(/Not valid JSON/)).toBeTruthy();
  });
});
