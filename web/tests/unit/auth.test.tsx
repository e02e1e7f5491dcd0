// Sign-in and session rules: the server's sentence is shown (never its error class), a
// 401 from login or from a wrong current password keeps the session, a 401 anywhere
// else ends it.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { LoginPage } from '../../src/features/auth/components/login-page.tsx';
import { RegisterPage } from '../../src/features/auth/components/register-page.tsx';
import { updateProfile } from '../../src/features/settings/api/update-profile.ts';
import { profileChanges } from '../../src/features/settings/components/settings-page.tsx';
import { apiRequest, errorMessage, ApiError } from '../../src/lib/api-client.ts';
import { useSession } from '../../src/lib/session.ts';
import { UserSchema } from '@siem/contracts';
import { USER, renderWithApp, stubFetch } from './helpers.tsx';

const app = (
  <Routes>
    <Route path="/login" element={<LoginPage />} />
    <Route path="/register" element={<RegisterPage />} />
    <Route path="/dashboard" element={<h1>Dashboard</h1>} />
  </Routes>
);

describe('login page', () => {
  it('shows the server message for wrong credentials, not the error class', async () => {
    stubFetch(() => [401, { error: 'AuthenticationError', message: 'Invalid username or password' }]);
    renderWithApp(app, { route: '/login' });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Invalid username or password');
    expect(screen.queryByText(/AuthenticationError/)).toBeNull();
    expect(useSession.getState().ended).toBeNull();
  });

  it('says how long to wait when rate limited', async () => {
    stubFetch(() => [429, { error: 'RateLimitExceeded', message: 'Too many requests', retry_after: 42 }]);
    renderWithApp(app, { route: '/login' });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'password123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Try again in 42 s');
  });

  it('signs in: token, then /auth/me with it, then the dashboard', async () => {
    const calls = stubFetch((c) =>
      c.url.endsWith('/auth/login') ? [200, { access_token: 'jwt', token_type: 'bearer' }] : c.url.endsWith('/auth/options') ? [200, { registration_enabled: true, setup_required: false }] : [200, USER],
    );
    renderWithApp(app, { route: '/login' });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'password123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Dashboard' });
    expect(calls.filter((c) => !c.url.endsWith('/auth/options')).map((c) => [c.method, c.url, c.auth])).toEqual([
      ['POST', '/api/v1/auth/login', null],
      ['GET', '/api/v1/auth/me', 'Bearer jwt'],
    ]);
    expect(useSession.getState()).toMatchObject({ token: 'jwt', user: USER });
    expect(JSON.parse(localStorage.getItem('siem.session')!).state.token).toBe('jwt');
  });
});

describe('register page', () => {
  it('refuses a special-use email domain before sending, like the server would', async () => {
    const calls = stubFetch(() => [500, {}]);
    renderWithApp(app, { route: '/register' });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'alice@lab.local' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'password123' } });
    fireEvent.change(screen.getByLabelText('Confirm password'), { target: { value: 'password123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true'));
    // Only the public options were asked for; nothing was submitted.
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });

  it('says registration is closed when the server has it off, and offers no form', async () => {
    stubFetch((c) => (c.url.endsWith('/auth/options') ? [200, { registration_enabled: false }] : [500, {}]));
    renderWithApp(app, { route: '/register' });
    expect((await screen.findByTestId('registration-closed')).textContent).toMatch(/does not accept new sign-ups/);
    expect(screen.queryByRole('button', { name: 'Create account' })).toBeNull();
  });

  it('puts "Email already registered" (409) at the email field', async () => {
    stubFetch(() => [409, { error: 'ConflictError', message: 'Email already registered' }]);
    renderWithApp(app, { route: '/register' });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'alice@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'password123' } });
    fireEvent.change(screen.getByLabelText('Confirm password'), { target: { value: 'password123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Email already registered')).toBeTruthy();
  });
});

describe('session and 401', () => {
  it('ends the session on a 401 from an authenticated call', async () => {
    useSession.getState().signIn('jwt', USER);
    stubFetch(() => [401, { error: 'AuthenticationError', message: 'Invalid or expired token' }]);
    await expect(apiRequest('/auth/me', { schema: UserSchema })).rejects.toThrow('Invalid or expired token');
    expect(useSession.getState()).toMatchObject({ token: null, user: null, ended: 'unauthorized' });
  });

  it('keeps the session when PATCH /auth/me says the current password is wrong', async () => {
    useSession.getState().signIn('jwt', USER);
    stubFetch(() => [401, { error: 'AuthenticationError', message: 'Current password is incorrect' }]);
    await expect(updateProfile({ current_password: 'x', email: 'new@example.com' })).rejects.toBeInstanceOf(ApiError);
    expect(useSession.getState().token).toBe('jwt');
  });

  it('sends only the profile fields that changed', () => {
    const user = { username: 'alice', email: 'alice@example.com' };
    expect(profileChanges({ username: 'alice', email: 'alice@example.com', password: '', current_password: 'p' }, user)).toEqual({ current_password: 'p' });
    expect(profileChanges({ username: 'alice2', email: 'alice@example.com', password: 'newpassword', current_password: 'p' }, user)).toEqual({
      current_password: 'p', username: 'alice2', password: 'newpassword',
    });
  });

  it('shows message, not error, for any ApiError', () => {
    expect(errorMessage(new ApiError(409, 'ConflictError', 'Username already taken'))).toBe('Username already taken');
  });
});
