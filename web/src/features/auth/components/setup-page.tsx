// First run: the server printed a one-time link to this page. It creates the first
// administrator with the token the link carries (a field asks for it when the link lost it),
// checked first with the shared contract schemas, then the server's answers land on their
// fields. Once an administrator exists the page says so and sends people to sign in.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { SetupBodySchema } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { FormError, Loading } from '../../../components/ui/states.tsx';
import { detailsToFieldErrors, submitErrors, zodToDetails } from '../../../lib/form-errors.ts';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { useAuthOptions } from '../api/options.ts';
import { takeSetupToken, useCompleteSetup } from '../api/setup.ts';
import { AccountFields } from './account-fields.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { conflictField } from './register-page.tsx';

export function SetupPage() {
  const navigate = useNavigate();
  const [linkToken] = useState(() => takeSetupToken(window.location));
  const [form, setForm] = useState({ token: linkToken, username: '', email: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useCompleteSetup();
  const options = useAuthOptions();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { token: form.token.trim(), username: form.username, email: form.email, password: form.password };
    const parsed = SetupBodySchema.safeParse(body);
    const local: FieldErrors = parsed.success ? {} : detailsToFieldErrors(zodToDetails(parsed.error));
    if (form.password !== form.confirm) local.confirm ??= 'The passwords do not match';
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    mutation.mutate(body, {
      onSuccess: () => navigate('/dashboard', { replace: true }),
      onError: (err) =>
        setErrors(
          submitErrors(err, {
            byStatus: { 403: () => 'token', 409: (message: string) => (/administrator/i.test(message) ? '_form' : conflictField(message)) },
          }),
        ),
    });
  };

  if (options.isPending) return <Loading />;
  if (options.data?.setup_required === false && !mutation.isSuccess) {
    return (
      <AuthLayout title="This server is set up" footer={<Link to="/login">Sign in</Link>}>
        <p data-testid="setup-done">An administrator already exists, so this setup link no longer works. Sign in, or ask an administrator for an account.</p>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Create the first administrator" footer={<>The command line works too: <code>npm run admin -- create</code></>}>
      <p className="muted">This server has no administrator yet. The account you create here manages users, rules and settings; the setup link stops working once it exists.</p>
      <form onSubmit={submit} noValidate className="form" data-testid="setup-form">
        {(!linkToken || errors.token) && (
          <Field label="Setup token" error={errors.token} hint="From the link the server printed at start">
            <input autoComplete="off" value={form.token} onChange={set('token')} />
          </Field>
        )}
        <AccountFields form={form} errors={errors} set={set} />
        <FormError message={errors._form} />
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Creating…' : 'Create administrator'}
        </button>
      </form>
    </AuthLayout>
  );
}
