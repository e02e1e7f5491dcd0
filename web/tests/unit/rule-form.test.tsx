// The rule form and its model: server 422 details land on the input or condition row they
// name (condition paths are relative to `conditions`, nested filters included), what
// names nothing goes to the summary, a 409 lands on the name, local checks use the shared
// contracts, and the builder, JSON and YAML views edit one rule.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../../src/lib/api-client.ts';
import { RuleForm } from '../../src/features/rules/components/rule-form.tsx';
import { bodyToDraft, draftToBody, emptyDraft, ruleFieldKey, validateBody } from '../../src/features/rules/utils/rule-draft.ts';
import type { RuleDraft } from '../../src/features/rules/utils/rule-draft.ts';
import { parseFilter } from '../../src/features/rules/utils/filter-tree.ts';
import { stubFetch } from './helpers.tsx';

const validDraft = (patch: Partial<RuleDraft> = {}, filter: Record<string, unknown> = { event_type: 'login_failure' }): RuleDraft => ({
  ...emptyDraft(),
  name: 'Brute force',
  filter: parseFilter(filter),
  ...patch,
});

function renderForm(ui: ReactNode) {
  // The field picker asks the server for the fields stored events carry.
  stubFetch((c) => c.url.includes('/lists')
    ? [200, [{ id: 'dddddddddddddddddddddddd', name: 'admins', kind: 'user', description: '', item_count: 2, created_by: null, updated_by: null, created_at: 'x', updated_at: 'x', used_by: [] },
      { id: 'eeeeeeeeeeeeeeeeeeeeeeee', name: 'scanners', kind: 'ip', description: '', item_count: 5, created_by: null, updated_by: null, created_at: 'x', updated_at: 'x', used_by: [] }]]
    : [200, [{ name: 'user.name', origin: 'field', count: 3, types: ['string'], example: 'alice' }]]);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

const invalid = (label: string) => screen.getByLabelText(label).getAttribute('aria-invalid');

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
  it('keeps old operator filters and the other keys through draft and back', () => {
    const body = {
      name: 'Brute force',
      rule_type: 'threshold',
      severity: 'medium',
      description: '',
      enabled: true,
      cooldown_seconds: 60,
      conditions: {
        event_filter: { event_type: 'login_failure', source_ip: { cidr: '10.0.0.0/8' }, dest_port: { gte: 1024 }, username: { in: ['root', 'admin'] }, hostname: { exists: false } },
        threshold: 5,
        window_seconds: 300,
        group_by: 'source_ip',
      },
    };
    const out = draftToBody(bodyToDraft(body), 'create');
    expect(out).toEqual(body);
    expect(validateBody(out, 'create', 'threshold')).toEqual([]);
  });

  it('tags: none on create when empty, [] on edit, and a bad one located at tags.N', () => {
    expect(draftToBody(validDraft(), 'create').tags).toBeUndefined();
    expect(draftToBody(validDraft(), 'edit').tags).toEqual([]);
    expect(draftToBody(validDraft({ tags: ' SSH,pci  x ' }), 'create').tags).toEqual(['SSH', 'pci', 'x']);
    const body = draftToBody(validDraft({ tags: 'ok no/slash' }), 'create');
    expect(validateBody(body, 'create', 'threshold').map((d) => ruleFieldKey(d.field))).toEqual(['tags.1']);
  });

  it('keeps condition keys the form has no input for', () => {
    const draft = bodyToDraft({ name: 'x', rule_type: 'threshold', severity: 'high', conditions: { event_filter: {}, threshold: 2, window_seconds: 60, group_by: 'username', note: 'keep me' } });
    expect(draftToBody(draft, 'edit').conditions).toMatchObject({ note: 'keep me', threshold: 2 });
  });

  it('builds sequence steps and checks them with the contract', () => {
    const body = draftToBody(validDraft({ rule_type: 'sequence', steps: [{ id: 's1', filter: parseFilter({ event_type: 'login_failure' }), count: '5', extra: {} }] }), 'create');
    expect(body.conditions).toMatchObject({ steps: [{ event_filter: { event_type: 'login_failure' }, count: 5 }] });
    expect(validateBody(body, 'create', 'sequence').map((d) => d.field)).toContain('steps');
  });

  it('reports local errors with the same relative paths as the server', () => {
    const body = draftToBody(validDraft({ name: '', threshold: '0', group_by: ['usrname'] }), 'create');
    const fields = validateBody(body, 'create', 'threshold').map((d) => ruleFieldKey(d.field));
    expect(fields).toEqual(expect.arrayContaining(['name', 'conditions.threshold', 'conditions.group_by']));
  });
});

describe('RuleForm', () => {
  it('shows the server 422 details at their inputs and rows, the rest in the summary', async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      new ApiError(422, 'ValidationError', 'Validation failed', [
        { field: 'threshold', message: 'Input should be greater than or equal to 1', type: 'greater_than_equal' },
        { field: 'event_filter.any.0.user.name.in_list', message: "List 'admins' does not exist", type: 'value_error' },
        { field: 'mitre_technique', message: 'Expected a MITRE ATT&CK technique id', type: 'string_pattern_mismatch' },
        { field: 'mystery', message: 'Something else is wrong', type: 'value_error' },
      ]),
    );
    const draft = validDraft({}, { event_type: 'login_failure', any: [{ 'user.name': { in_list: 'admins' } }, { 'host.name': { wildcard: 'dc-*' } }] });
    renderForm(<RuleForm mode="create" initial={draft} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect((onSubmit.mock.calls[0]![0] as { conditions: { event_filter: unknown } }).conditions.event_filter).toEqual({
      event_type: 'login_failure',
      any: [{ 'user.name': { in_list: 'admins' } }, { 'host.name': { wildcard: 'dc-*' } }],
    });
    await waitFor(() => expect(invalid('Fires at events')).toBe('true'));
    expect(invalid('MITRE technique')).toBe('true');
    // The nested filter error is on the row of the field it names (group 2, row 1).
    expect(invalid('Value 2.1')).toBe('true');
    expect(screen.getByRole('group', { name: 'Condition 2.1' }).textContent).toContain("List 'admins' does not exist");
    expect(invalid('Value 2.2')).toBeNull();
    const summary = screen.getByTestId('rule-errors').textContent ?? '';
    expect(summary).toContain('mystery: Something else is wrong');
    expect(summary).not.toContain('admins');
  });

  it('shows a step error of a sequence rule on that step', async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      new ApiError(422, 'ValidationError', 'Validation failed', [{ field: 'steps.1.event_filter', message: 'Input should be a valid dictionary', type: 'dict_type' }]),
    );
    const draft = validDraft({
      rule_type: 'sequence',
      steps: [
        { id: 'a', filter: parseFilter({ event_type: 'login_failure' }), count: '3', extra: {} },
        { id: 'b', filter: parseFilter({ event_type: 'login_success' }), count: '', extra: {} },
      ],
    });
    renderForm(<RuleForm mode="create" initial={draft} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    const step2 = await screen.findByRole('group', { name: 'Step 2' });
    await waitFor(() => expect(step2.textContent).toContain('Input should be a valid dictionary'));
    expect(screen.getByRole('group', { name: 'Step 1' }).textContent).not.toContain('valid dictionary');
  });

  it('puts a duplicate name (409) at the name field', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(409, 'ConflictError', 'A rule with this name already exists'));
    renderForm(<RuleForm mode="create" initial={validDraft()} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(invalid('Name')).toBe('true'));
    expect(screen.getAllByText(/already exists/).length).toBeGreaterThan(0);
  });

  it('checks locally first and does not submit an invalid rule', async () => {
    const onSubmit = vi.fn();
    renderForm(<RuleForm mode="create" initial={validDraft({ threshold: '0' })} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(invalid('Fires at events')).toBe('true'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows a bad tag at the Tags input and does not submit', async () => {
    const onSubmit = vi.fn();
    renderForm(<RuleForm mode="create" initial={validDraft({ tags: 'ok, bad/tag' })} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(screen.getByLabelText('Tags', { selector: 'input' }).getAttribute('aria-invalid')).toBe('true'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends the tags typed (commas or spaces), shows them as tags, and on edit only when they changed', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    const loaded = bodyToDraft({ name: 'Old', rule_type: 'single', severity: 'high', description: '', enabled: true, mitre_tactic: null, mitre_technique: null,
      conditions: { event_filter: { event_type: 'x' } }, tags: ['ssh', 'pci'] });
    expect(loaded.tags).toBe('ssh, pci');
    renderForm(<RuleForm mode="edit" initial={loaded} submitLabel="Save" onSubmit={onSubmit} />);
    expect(screen.getByLabelText('Tags', { selector: 'div' }).textContent).toBe('sshpci');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toEqual({});
    fireEvent.change(screen.getByLabelText('Tags', { selector: 'input' }), { target: { value: 'ssh threat-intel,pci' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls[1]![0]).toEqual({ tags: ['ssh', 'threat-intel', 'pci'] });
    fireEvent.change(screen.getByLabelText('Tags', { selector: 'input' }), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(3));
    expect(onSubmit.mock.calls[2]![0]).toEqual({ tags: [] });
  });

  it('edits the same rule in the JSON and YAML views', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    renderForm(<RuleForm mode="create" initial={validDraft()} submitLabel="Create rule" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('tab', { name: 'JSON' }));
    const editor = screen.getByLabelText('Rule as JSON') as HTMLTextAreaElement;
    const body = JSON.parse(editor.value);
    body.conditions.threshold = 9;
    body.conditions.event_filter = { any: [{ username: 'root' }, { 'user.name': { contains: 'adm' } }] };
    fireEvent.change(editor, { target: { value: JSON.stringify(body) } });
    fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    const yaml = (screen.getByLabelText('Rule as YAML') as HTMLTextAreaElement).value;
    expect(yaml).toContain('threshold: 9');
    expect(yaml).toContain('any:');
    fireEvent.click(screen.getByRole('tab', { name: 'Builder' }));
    expect((screen.getByLabelText('Fires at events') as HTMLInputElement).value).toBe('9');
    expect((screen.getByLabelText('Field 1.2') as HTMLInputElement).value).toBe('user.name');
    expect((screen.getByLabelText('Operator 1.2') as HTMLSelectElement).value).toBe('contains');
  });

  it('shows a parse error inline with its line and stays in the code view', async () => {
    renderForm(<RuleForm mode="create" initial={validDraft()} submitLabel="Create rule" onSubmit={vi.fn()} />);
    fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    fireEvent.change(screen.getByLabelText('Rule as YAML'), { target: { value: 'name: x\nconditions:\n  event_filter: [unclosed\n' } });
    fireEvent.click(screen.getByRole('tab', { name: 'Builder' }));
    const error = await screen.findByText(/Not valid YAML: line \d+/);
    expect(error).toBeTruthy();
    expect(screen.getByLabelText('Rule as YAML').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByLabelText('Rule as YAML'), { target: { value: '- a list\n' } });
    fireEvent.click(screen.getByRole('tab', { name: 'JSON' }));
    expect(await screen.findByText(/must be an object/)).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    fireEvent.change(screen.getByLabelText('Rule as YAML'), { target: { value: 'name: From YAML\nrule_type: threshold\nseverity: low\nconditions: { event_filter: {}, threshold: 2, window_seconds: 60, group_by: [source_ip, username] }\n' } });
    fireEvent.click(screen.getByRole('tab', { name: 'JSON' }));
    fireEvent.change(screen.getByLabelText('Rule as JSON'), { target: { value: '{\n  "name": "x",\n  oops\n}' } });
    fireEvent.click(screen.getByRole('tab', { name: 'Builder' }));
    expect(await screen.findByText(/Not valid JSON: line 3/)).toBeTruthy();
  });

  it('saves only what was edited, nothing for an untouched rule', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    const loaded = bodyToDraft({ name: 'Old', rule_type: 'threshold', severity: 'high', description: '', enabled: true, mitre_tactic: null, mitre_technique: null,
      conditions: { event_filter: { event_type: 'login_failure' }, threshold: 5, window_seconds: 60, group_by: 'source_ip' } });
    renderForm(<RuleForm mode="edit" initial={loaded} submitLabel="Save" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toEqual({});
    fireEvent.change(screen.getByLabelText('Fires at events'), { target: { value: '7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls[1]![0]).toEqual({ conditions: { event_filter: { event_type: 'login_failure' }, threshold: 7, window_seconds: 60, group_by: 'source_ip' } });
  });

  it('offers the shared lists for an in_list test', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    renderForm(<RuleForm mode="create" initial={validDraft({}, { 'user.name': { in_list: 'admins' } })} submitLabel="Create rule" onSubmit={onSubmit} />);
    const picker = await screen.findByLabelText('Shared list for 1');
    expect([...picker.querySelectorAll('option')].map((o) => o.value)).toEqual(['', 'scanners']);
    fireEvent.change(picker, { target: { value: 'scanners' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect((onSubmit.mock.calls[0]![0] as { conditions: { event_filter: unknown } }).conditions.event_filter).toEqual({ 'user.name': { in_list: ['admins', 'scanners'] } });
  });

  it('shows the server warnings as notes', () => {
    const draft = validDraft({}, { event_type: 'x', any: [{ 'process.nothing': 'a' }, { 'user.name': 'b' }] });
    renderForm(<RuleForm mode="edit" initial={draft} submitLabel="Save" onSubmit={vi.fn()}
      warnings={[{ field: 'event_filter.any.0.process.nothing', message: "No stored event carries 'process.nothing' yet" }, { field: null, message: 'Something general' }]} />);
    expect(screen.getByTestId('rule-warnings').textContent).toContain('Something general');
    // At the row it names, as a note (not an error: the field is not marked invalid).
    expect(screen.getByRole('group', { name: 'Condition 2.1' }).textContent).toContain("No stored event carries 'process.nothing' yet");
    expect(screen.getByLabelText('Value 2.1').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('group', { name: 'Condition 2.2' }).textContent).not.toContain('No stored event');
  });
});
