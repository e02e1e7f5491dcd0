// The playbook catalogue: a valid playbook starts at the chosen speed; an invalid one
// lists its problems and offers no start button.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { PlaybookInfo } from '@siem/contracts';
import { PlaybookCard } from '../../src/features/scenarios/components/playbook-card.tsx';
import { renderWithApp, stubFetch } from './helpers.tsx';

const playbook: PlaybookInfo = {
  filename: 'ssh.yml', name: 'SSH brute force', description: 'Guessing', mitre_tactics: ['TA0006'], mitre_techniques: ['T1110.001'], event_count: 44, valid: true,
};
const run = { id: 'c'.repeat(24), scenario_name: 'SSH brute force', status: 'running', started_at: 'x', completed_at: null, events_generated: 0, events_total: 44, progress: 0, speed: 5, error_message: null, created_at: 'x', updated_at: 'x' };

describe('playbook card', () => {
  it('links MITRE tags and starts at the chosen speed', async () => {
    const calls = stubFetch(() => [201, run]);
    renderWithApp(<PlaybookCard playbook={playbook} />);
    const link = screen.getByRole('link', { name: /T1110\.001/ });
    expect(link.getAttribute('href')).toBe('https://attack.mitre.org/techniques/T1110/001/');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.getAttribute('target')).toBe('_blank');
    fireEvent.change(screen.getByLabelText('Speed ×'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/scenarios/start', body: { filename: 'ssh.yml', speed: 5 } });
  });

  it('shows why an invalid playbook cannot run', () => {
    renderWithApp(<PlaybookCard playbook={{ ...playbook, valid: false, errors: ['events[3].delay_seconds: expected a number'] }} />);
    expect(screen.getByText('events[3].delay_seconds: expected a number')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start' })).toBeNull();
  });

  it('shows the server refusal of a start', async () => {
    stubFetch(() => [422, { error: 'ValidationError', message: 'Validation failed', details: [{ field: 'speed', message: 'Input should be less than or equal to 10', type: 'less_than_equal' }] }]);
    renderWithApp(<PlaybookCard playbook={playbook} />);
    fireEvent.change(screen.getByLabelText('Speed ×'), { target: { value: '50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Validation failed');
  });
});
