// Sign in. Wrong credentials (401), a deactivated account (401) and rate limiting (429)
// are shown on the form with the server's own sentence; success goes where the user was
// headed, else the dashboard.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Field } from '../../../components/ui/field.tsx';
import { FormError } from '../../../components/ui/states.tsx';
import { submitErrors } from '../../../lib/form-errors.ts';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { useSession } from '../../../lib/session.ts';
import { useLogin } from '../api/login.ts';
import { useAuthOptions } from '../api/options.ts';
import { AuthLayout } from './auth-layout.tsx';

const ENDED_TEXT = {
  logout: 'You signed out.',
  expired: 'Your session expired. Sign in again.',
  unauthorized: 'Your session ended. Sign in again.',
} as const;

export function LoginPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/dashboard';
  const ended = useSession((s) => s.ended);
  const clearEnded = useSession((s) => s.clearEnded);
  const [notice] = useState(() => (ended ? ENDED_TEXT[ended] : null));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const options = useAuthOptions();
  const mutation = useLogin();

  useEffect(() => {
    if (ended) clearEnded();
  }, [ended, clearEnded]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!username.trim()) local.username = 'Enter your username';
    if (!password) local.password = 'Enter your password';
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    mutation.mutate(
      { username, password },
      {
        onSuccess: () => navigate(from, { replace: true }),
        onError: (err) => setErrors(submitErrors(err)),
      },
    );
  };

  return (
    <AuthLayout
      title="Sign in"
      footer={
        <>
          No account yet? <Link to="/register">Create one</Link>
        </>
      }
    >
      {notice && <p className="notice">{notice}</p>}
      {options.data?.setup_required && (
        <p className="notice" data-testid="setup-required">
          This server has no administrator yet: open the setup link the server printed at start, or run <code>npm run admin -- create</code>.
        </p>
      )}
      <form onSubmit={submit} noValidate className="form">
        <Field label="Username" error={errors.username}>
          <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </Field>
        <Field label="Password" error={errors.password}>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <FormError message={errors._form} />
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
