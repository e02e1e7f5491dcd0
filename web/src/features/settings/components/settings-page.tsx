// Profile and password. Only the fields that changed are sent (with the current password);
// the server's answers land at the field they concern: 401 at the current password,
// 409 at username or email, 422 details at theirs, "No fields to update" on the form.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { EmailSchema, PasswordSchema, UsernameSchema } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { FormError } from '../../../components/ui/states.tsx';
import { submitErrors } from '../../../lib/form-errors.ts';
import type { FieldErrors } from '../../../lib/form-errors.ts';
import { useSession } from '../../../lib/session.ts';
import { toast } from '../../../lib/toast.ts';
import { useUpdateProfile } from '../api/update-profile.ts';
import type { ProfileChanges } from '../api/update-profile.ts';

export const profileConflictField = (message: string) => (/email/i.test(message) ? 'email' : 'username');

export function profileChanges(
  form: { username: string; email: string; password: string; current_password: string },
  user: { username: string; email: string },
): ProfileChanges {
  const body: ProfileChanges = { current_password: form.current_password };
  if (form.username.trim() && form.username !== user.username) body.username = form.username;
  if (form.email.trim() && form.email !== user.email) body.email = form.email;
  if (form.password) body.password = form.password;
  return body;
}

export default function SettingsPage() {
  const user = useSession((s) => s.user);
  const [form, setForm] = useState({ username: user?.username ?? '', email: user?.email ?? '', password: '', confirm: '', current_password: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useUpdateProfile();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  if (!user) return null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = profileChanges(form, user);
    const local: FieldErrors = {};
    const check = (key: string, ok: boolean, message: string) => { if (!ok) local[key] = message; };
    if (body.username !== undefined) check('username', UsernameSchema.safeParse(body.username).success, 'A username has 3 to 32 characters');
    if (body.email !== undefined) {
      const r = EmailSchema.safeParse(body.email);
      if (!r.success) local.email = r.error.issues[0]?.message ?? 'Not a valid email address';
    }
    if (body.password !== undefined) check('password', PasswordSchema.safeParse(body.password).success, 'A password has at least 8 characters');
    if (form.password !== form.confirm) local.confirm = 'The new passwords do not match';
    if (!form.current_password) local.current_password = 'Enter your current password to confirm changes';
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    mutation.mutate(body, {
      onSuccess: (res) => {
        setForm({ username: res.user.username, email: res.user.email, password: '', confirm: '', current_password: '' });
        toast.success('Profile saved');
      },
      onError: (err) => setErrors(submitErrors(err, { byStatus: { 401: 'current_password', 409: profileConflictField } })),
    });
  };

  return (
    <div className="page page-narrow">
      <header className="page-head"><h1>Settings</h1></header>
      <section className="card panel">
        <dl className="kv">
          <dt>Role</dt><dd>{user.role}</dd>
          <dt>Account id</dt><dd className="mono small">{user.id}</dd>
        </dl>
      </section>
      <form className="card panel form" onSubmit={submit} noValidate aria-labelledby="profile-title">
        <h2 id="profile-title">Profile and password</h2>
        <Field label="Username" error={errors.username}><input autoComplete="username" value={form.username} onChange={set('username')} /></Field>
        <Field label="Email" error={errors.email}><input type="email" autoComplete="email" value={form.email} onChange={set('email')} /></Field>
        <Field label="New password" error={errors.password} hint="Leave empty to keep the current one"><input type="password" autoComplete="new-password" value={form.password} onChange={set('password')} /></Field>
        <Field label="Confirm new password" error={errors.confirm}><input type="password" autoComplete="new-password" value={form.confirm} onChange={set('confirm')} /></Field>
        <Field label="Current password" error={errors.current_password} hint="Required to save any change"><input type="password" autoComplete="current-password" value={form.current_password} onChange={set('current_password')} /></Field>
        <FormError message={errors._form} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>{mutation.isPending ? 'Saving…' : 'Save changes'}</button>
        </div>
      </form>
    </div>
  );
}
