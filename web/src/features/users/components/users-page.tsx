// Account administration (admins): role, active state, deletion. The server guards the
// last admin and your own account; its refusal is shown on the row it concerns.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ROLES } from '@siem/contracts';
import type { Role, User } from '@siem/contracts';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { humanize } from '../../../lib/format.ts';
import { useSession } from '../../../lib/session.ts';
import { useActivateUser } from '../api/activate-user.ts';
import { useDeactivateUser } from '../api/deactivate-user.ts';
import { useDeleteUser } from '../api/delete-user.ts';
import { useUpdateRole } from '../api/update-role.ts';
import { useUsers } from '../api/users.ts';

function UserRow({ user, isSelf }: { user: User; isSelf: boolean }) {
  const role = useUpdateRole();
  const activate = useActivateUser();
  const deactivate = useDeactivateUser();
  const remove = useDeleteUser();
  const [problem, setProblem] = useState<string | null>(null);
  const onError = (e: unknown) => setProblem(errorMessage(e));
  const clear = () => setProblem(null);
  const busy = role.isPending || activate.isPending || deactivate.isPending || remove.isPending;
  return (
    <>
      <tr className={user.is_active ? undefined : 'is-muted'} data-testid={`user-${user.username}`}>
        <td>{user.username}{isSelf && <span className="muted"> (you)</span>}</td>
        <td>{user.email}</td>
        <td>
          <label className="sr-only" htmlFor={`role-${user.id}`}>Role of {user.username}</label>
          <select id={`role-${user.id}`} value={user.role} disabled={busy}
            onChange={(e) => { clear(); role.mutate({ id: user.id, role: e.target.value as Role }, { onError }); }}>
            {ROLES.map((r) => <option key={r} value={r}>{humanize(r)}</option>)}
          </select>
        </td>
        <td>{user.is_active ? <span className="badge ok">Active</span> : <span className="badge off">Inactive</span>}</td>
        <td className="row-actions">
          {user.is_active ? (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => { clear(); deactivate.mutate(user.id, { onError }); }}>Deactivate</button>
          ) : (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => { clear(); activate.mutate(user.id, { onError }); }}>Activate</button>
          )}
          <ConfirmButton label="Delete" confirmLabel={`Delete ${user.username}`} disabled={busy} onConfirm={() => { clear(); remove.mutate(user.id, { onError }); }} />
        </td>
      </tr>
      {problem && (
        <tr className="row-problem">
          <td colSpan={5}>
            <span role="alert">{problem}</span>{' '}
            <button type="button" className="btn btn-ghost btn-small" onClick={clear}>Dismiss</button>
          </td>
        </tr>
      )}
    </>
  );
}

export default function UsersPage() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const me = useSession((s) => s.user);
  const { data, error, isPending, refetch } = useUsers(page);
  return (
    <div className="page">
      <header className="page-head"><h1>Users</h1></header>
      <p className="muted">New accounts register themselves as analysts. You cannot demote the last admin, nor deactivate or delete your own account.</p>
      {isPending ? <Loading label="Loading users…" /> : error && !data ? <ErrorState error={error} onRetry={() => void refetch()} /> : !data?.items.length ? <Empty>No accounts.</Empty> : (
        <>
          <div className="table-wrap card">
            <table className="table" data-testid="users-table">
              <thead><tr><th>Username</th><th>Email</th><th>Role</th><th>Status</th><th><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>{data.items.map((u) => <UserRow key={u.id} user={u} isSelf={u.id === me?.id} />)}</tbody>
            </table>
          </div>
          <Pager page={data.page} pages={data.pages} total={data.total} onPage={(p) => setParams({ page: String(p) })} />
        </>
      )}
    </div>
  );
}
