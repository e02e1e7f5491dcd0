// Case management pieces: mention highlighting (only stored mentions), the @prefix the
// comment box completes, timeline wording, and the assign control's request.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Alert, CaseTimelineEntry } from '@siem/contracts';
import { CommentText } from '../../src/features/cases/components/case-bits.tsx';
import { mentionPrefix } from '../../src/features/cases/components/case-comments.tsx';
import { describeEntry } from '../../src/features/cases/components/case-timeline.tsx';
import { AlertCaseActions } from '../../src/features/cases/components/alert-case-actions.tsx';
import { renderWithApp, stubFetch } from './helpers.tsx';

const ID = 'c'.repeat(24);

describe('comment text', () => {
  it('highlights the mentions the server stored, and nothing else', () => {
    render(<CommentText body="@bob look, cc @ghost and mail@bob.example. thanks @Bob." mentions={['bob']} />);
    expect(screen.getAllByTestId('mention').map((m) => m.textContent)).toEqual(['@bob', '@Bob']);
    expect(screen.getByText(/cc @ghost and mail@bob.example/)).toBeTruthy();
  });
});

describe('mention prefix', () => {
  it.each([
    ['hello @bo', 'bo'],
    ['@', ''],
    ['hello @bob ', null],
    ['mail@bo', null],
    ['no mention', null],
  ])('%j -> %j', (text, expected) => expect(mentionPrefix(text)).toBe(expected));
});

describe('timeline wording', () => {
  const entry = (patch: Partial<CaseTimelineEntry>): CaseTimelineEntry => ({ id: 1, kind: 'created', field: null, from: null, to: null, ref_id: null, by: 'ana', at: '2026-03-01T00:00:00.000Z', ...patch });
  it('says what changed from what to what', () => {
    expect(describeEntry(entry({ kind: 'created', to: 'T' }))).toBe('created the case "T"');
    expect(describeEntry(entry({ kind: 'field_changed', field: 'status', from: 'open', to: 'in_progress' }))).toBe('changed status from open to in progress');
    expect(describeEntry(entry({ kind: 'field_changed', field: 'assignee', from: null, to: 'bob' }))).toBe('changed assignee from nothing to bob');
    expect(describeEntry(entry({ kind: 'observable_removed', from: 'ip:192.0.2.1' }))).toBe('removed observable ip:192.0.2.1');
  });
});

describe('alert case actions', () => {
  const alert = {
    id: ID, rule_id: ID, rule_name: 'R', severity: 'high', title: 'Brute force', matched_event_ids: [], matched_event_count: 1, group_value: null,
    status: 'new', mitre_tactic: null, mitre_technique: null, acknowledged_by: null, acknowledged_at: null, resolved_at: null, notes: null,
    created_at: '2026-03-01T00:00:00.000Z', updated_at: '2026-03-01T00:00:00.000Z', assignee: null, case_ids: [],
    occurrences: 1, last_seen_at: '2026-03-01T00:00:00.000Z', suppression_key: null,
  } satisfies Alert;

  it('assigns to me with PUT /alerts/{id}/assignee and lists the cases', async () => {
    const calls = stubFetch(() => [200, { ...alert, assignee: 'me' }]);
    renderWithApp(<AlertCaseActions alert={alert} cases={[{ id: 'd'.repeat(24), title: 'Case one', status: 'open', severity: 'high' }]} />);
    expect(screen.getByTestId('alert-cases').textContent).toContain('Case one');
    fireEvent.click(screen.getByRole('button', { name: 'Assign to me' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')).toMatchObject({ url: `/api/v1/alerts/${ID}/assignee`, body: { assignee: 'me' } });
  });
});
