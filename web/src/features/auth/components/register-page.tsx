// Create an analyst account. Checked first with the shared contract schemas (the same
// username, email and password rules the server applies), then the server's 409 / 422
// answers land on their fields. When the server has self-registration off, the page says so.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { RegisterBodySchema } from '@siem/contracts';
import { FormError } from '../../../components/ui/states.tsx';
import { detailsToFieldErrors, submitErrors, zodToDetails } from '../../../lib/form-errors.ts';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { useAuthOptions } from '../api/options.ts';
import { useRegister } from '../api/register.ts';
import { AccountFields } from './account-fields.tsx';
import { AuthLayout } from './auth-layout.tsx';

/** 409 answers name their field in the message ("Username already taken", "Email already registered"). */
export const conflictField = (message: string) => (/email/i.test(message) ? 'email' : 'username');

export function RegisterPage() {
  const navigate = useNavigate();
  const [form, setForm] = useState({ username: '', email: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useRegister();
  const options = useAuthOptions();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { username: form.username, email: form.email, password: form.password };
    const parsed = RegisterBodySchema.safeParse(body);
    const local: FieldErrors = parsed.success ? {} : detailsToFieldErrors(zodToDetails(parsed.error));
    if (form.password !== form.confirm) local.confirm ??= 'The passwords do not match';
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    mutation.mutate(body, {
      onSuccess: () => navigate('/dashboard', { replace: true }),
      onError: (err) => setErrors(submitErrors(err, { byStatus: { 409: conflictField } })),
    });
  };

  if (options.data?.registration_enabled === false) {
    return (
      <AuthLayout title="Registration is closed" footer={<>Already have an account? <Link to="/login">Sign in</Link></>}>
        <p data-testid="registration-closed">
          This server does not accept new sign-ups. Ask an administrator to create an account for you.
        </p>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Create an account"
      footer={
        <>
          Already registered? <Link to="/login">Sign in</Link>
        </>
      }
    >
      <form onSubmit={submit} noValidate className="form">
        <AccountFields form={form} errors={errors} set={set} />
        <FormError message={errors._form} />
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Creating…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
