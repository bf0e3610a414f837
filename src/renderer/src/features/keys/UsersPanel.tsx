// Users who sign in from OBS (user name and password) or for whom connect tokens are issued: add, change password, remove.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { keysRequests, type Permission, type UserInfo } from '../../../../shared/ipc';
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field, focusFirstInvalid } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { Section } from '../../ui/Section';
import { useAction } from '../../ui/useAction';
import { validate, type FieldErrors } from '../../ui/validation';

const PERMISSION_LABELS: Record<Permission, string> = { publish: 'Publish', play: 'Play' };

const USER_MESSAGES = {
  name: 'Enter a user name of 1 to 64 characters.',
  permissions: 'Choose at least one permission.',
};

function AddUserForm({ users, onAdded }: { users: UserInfo[]; onAdded: (name: string) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [permissions, setPermissions] = useState<Permission[]>(['publish']);
  const [errors, setErrors] = useState<FieldErrors>({});
  const adding = useAction();
  const form = useRef<HTMLFormElement>(null);

  const togglePermission = (permission: Permission, on: boolean) =>
    setPermissions((current) => (on ? [...current, permission] : current.filter((p) => p !== permission)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(keysRequests['keys.addUser'].input, { name: name.trim(), password, permissions }, USER_MESSAGES);
    const errors: FieldErrors = 'errors' in checked ? { ...checked.errors } : {};
    if (users.some((user) => user.name === name.trim())) errors.name = `A user named ${name.trim()} already exists.`;
    setErrors(errors);
    if ('errors' in checked || Object.keys(errors).length > 0) {
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    const added = await adding.run(() => airlock().invoke('keys.addUser', checked.data));
    if (added) {
      setName('');
      setPassword('');
      setPermissions(['publish']);
      onAdded(added.name);
    }
  };

  return (
    <form ref={form} className="form-row" onSubmit={submit} noValidate aria-label="Add user">
      <Field label="User name" error={errors.name}>
        {(control) => <input {...control} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Password" error={errors.password} hint="At least 8 characters.">
        {(control) => <input {...control} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <fieldset className="checkbox-group" aria-invalid={errors.permissions ? true : undefined}>
        <legend>Permissions</legend>
        {(Object.keys(PERMISSION_LABELS) as Permission[]).map((permission) => (
          <label key={permission}>
            <input type="checkbox" checked={permissions.includes(permission)} onChange={(e) => togglePermission(permission, e.target.checked)} />
            {PERMISSION_LABELS[permission]}
          </label>
        ))}
        {errors.permissions && <p className="field-error">{errors.permissions}</p>}
      </fieldset>
      <div className="form-actions">
        <ActionButton type="submit" variant="primary" busy={adding.pending}>
          Add user
        </ActionButton>
      </div>
      <ErrorNotice error={adding.error} title="User not added" onDismiss={adding.clearError} />
    </form>
  );
}

function PasswordForm({ user, onDone }: { user: UserInfo; onDone: (message: string | null) => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const saving = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(keysRequests['keys.setPassword'].input, { name: user.name, password });
    if ('errors' in checked) {
      setError(checked.errors.password ?? checked.errors.name);
      return;
    }
    setError(null);
    if (await saving.run(() => airlock().invoke('keys.setPassword', checked.data))) onDone(`Password of ${user.name} changed.`);
  };

  return (
    <form className="form-row inline-form" onSubmit={submit} noValidate aria-label={`Change password of ${user.name}`}>
      <Field label="New password" error={error} hint="At least 8 characters.">
        {(control) => <input {...control} type="password" autoComplete="new-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <ActionButton type="submit" variant="primary" busy={saving.pending}>
          Save password
        </ActionButton>
        <button type="button" className="button-plain" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
      <ErrorNotice error={saving.error} title="Password not changed" onDismiss={saving.clearError} />
    </form>
  );
}

type UserMode = 'view' | 'password' | 'remove';

function UserItem({ user, onChanged }: { user: UserInfo; onChanged: (message: string) => void }) {
  const [mode, setMode] = useState<UserMode>('view');
  // The button that opened the password form or the confirmation takes the focus back when it closes.
  const openers = { password: useRef<HTMLButtonElement>(null), remove: useRef<HTMLButtonElement>(null) };
  const openedBy = useRef<Exclude<UserMode, 'view'> | null>(null);
  const open = (next: Exclude<UserMode, 'view'>) => {
    openedBy.current = next;
    setMode(next);
  };
  useEffect(() => {
    if (mode !== 'view' || openedBy.current === null) return;
    openers[openedBy.current].current?.focus();
    openedBy.current = null;
  });
  const removing = useAction();
  const remove = async () => {
    const removed = await removing.run(() => airlock().invoke('keys.removeUser', { name: user.name }));
    if (removed !== undefined) onChanged(removed ? `User ${user.name} removed.` : `User ${user.name} was already gone.`);
  };
  return (
    <li className="item" aria-label={user.name}>
      <div className="item-head">
        <span className="item-title">{user.name}</span>
        <span className="muted">
          {user.permissions.map((p) => PERMISSION_LABELS[p]).join(' and ')} · added {formatDateTime(user.createdAt)}
        </span>
        {mode === 'view' && (
          <span className="item-actions">
            <button ref={openers.password} type="button" className="button-secondary button-small" onClick={() => open('password')}>
              Change password
            </button>
            <button ref={openers.remove} type="button" className="button-danger button-small" onClick={() => open('remove')}>
              Remove
            </button>
          </span>
        )}
      </div>
      {mode === 'password' && (
        <PasswordForm
          user={user}
          onDone={(message) => {
            setMode('view');
            if (message) onChanged(message);
          }}
        />
      )}
      {mode === 'remove' && (
        <div className="confirm" role="group" aria-label={`Remove ${user.name}`}>
          <p>Remove {user.name}? OBS sign-ins and connect tokens for this user stop working.</p>
          <ActionButton variant="danger" busy={removing.pending} onClick={remove}>
            Confirm remove
          </ActionButton>
          {/* The safe choice takes the focus: Enter right after Remove must not remove. */}
          <button type="button" className="button-plain" autoFocus onClick={() => setMode('view')}>
            Cancel
          </button>
          <ErrorNotice error={removing.error} title="User not removed" onDismiss={removing.clearError} />
        </div>
      )}
    </li>
  );
}

export function UsersPanel({ users, onChanged }: { users: UserInfo[]; onChanged: () => void }) {
  const [message, setMessage] = useState('');
  const changed = (text: string) => {
    setMessage(text);
    onChanged();
  };
  return (
    <Section title="Users" description="A user signs in from OBS with a user name and password, or is named in connect-object tokens.">
      <AddUserForm users={users} onAdded={(name) => changed(`User ${name} added.`)} />
      <p role="status" className="field-hint">
        {message}
      </p>
      {users.length === 0 ? (
        <EmptyState title="No users yet">Add one above to let OBS sign in with a user name and password, or to issue connect-object tokens.</EmptyState>
      ) : (
        <ul className="items" aria-label="Users">
          {users.map((user) => (
            <UserItem key={user.name} user={user} onChanged={changed} />
          ))}
        </ul>
      )}
    </Section>
  );
}
