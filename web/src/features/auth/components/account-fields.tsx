// The fields of a new account (username, email, password twice), shared by registration and
// the first administrator's setup; errors land at their field.
import { Field } from '../../../components/ui/field.tsx';
import type { FieldErrors } from '../../../lib/form-errors.ts';

export interface AccountForm {
  username: string;
  email: string;
  password: string;
  confirm: string;
}

export function AccountFields({ form, errors, set }: { form: AccountForm; errors: FieldErrors; set: (key: keyof AccountForm) => (e: { target: { value: string } }) => void }) {
  return (
    <>
      <Field label="Username" error={errors.username} hint="3 to 32 characters">
        <input autoComplete="username" value={form.username} onChange={set('username')} autoFocus />
      </Field>
      <Field label="Email" error={errors.email}>
        <input type="email" autoComplete="email" value={form.email} onChange={set('email')} />
      </Field>
      <Field label="Password" error={errors.password} hint="At least 8 characters">
        <input type="password" autoComplete="new-password" value={form.password} onChange={set('password')} />
      </Field>
      <Field label="Confirm password" error={errors.confirm}>
        <input type="password" autoComplete="new-password" value={form.confirm} onChange={set('confirm')} />
      </Field>
    </>
  );
}
