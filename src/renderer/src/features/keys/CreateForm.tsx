// One form for every secret the studio hands out: a stream key, a signed link or a connect-object token, for a stream.
import { useRef, useState, type FormEvent } from 'react';
import { keysRequests, type Permission, type UserInfo } from '../../../../shared/ipc';
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field, focusFirstInvalid } from '../../ui/Field';
import { formatDuration } from '../../ui/format';
import { Section } from '../../ui/Section';
import { useAction } from '../../ui/useAction';
import { validate, type FieldErrors } from '../../ui/validation';
import type { SecretKind } from './shareRows';

export const KIND_LABELS: Record<SecretKind, string> = {
  'stream-key': 'Stream key',
  'signed-link': 'Signed link',
  'connect-token': 'Connect-object token',
};

/** Lifetimes offered, in seconds (the contract allows 1 minute to 30 days). */
const EXPIRY_CHOICES: { seconds: number; label: string }[] = [
  { seconds: 60, label: '1 minute' },
  { seconds: 10 * 60, label: '10 minutes' },
  { seconds: 60 * 60, label: '1 hour' },
  { seconds: 24 * 60 * 60, label: '1 day' },
  { seconds: 7 * 24 * 60 * 60, label: '7 days' },
  { seconds: 30 * 24 * 60 * 60, label: '30 days' },
];

/** The lifetimes a kind may have: the server holds connect tokens to twice its token window. */
function expiryChoicesFor(kind: SecretKind, tokenWindowSeconds: number): { seconds: number; label: string }[] {
  if (kind !== 'connect-token') return EXPIRY_CHOICES;
  const fitting = EXPIRY_CHOICES.filter((choice) => choice.seconds <= 2 * tokenWindowSeconds);
  return fitting.length > 0 ? fitting : EXPIRY_CHOICES.slice(0, 1);
}

const PATH_MESSAGE = 'Use 1 to 128 characters, without /, ?, #, \\ or control characters.';
const MESSAGES = { app: `Enter the app name. ${PATH_MESSAGE}`, stream: `Enter the stream name. ${PATH_MESSAGE}`, label: 'Keep the label under 128 characters.' };

interface CreateFormProps {
  users: UserInfo[];
  tokenWindowSeconds: number;
  onCreated: () => void;
}

export function CreateForm({ users, tokenWindowSeconds, onCreated }: CreateFormProps) {
  const [kind, setKind] = useState<SecretKind>('signed-link');
  const [permission, setPermission] = useState<Permission>('publish');
  const [app, setApp] = useState('live');
  const [stream, setStream] = useState('');
  const [chosenTtl, setTtlSeconds] = useState(60 * 60);
  const choices = expiryChoicesFor(kind, tokenWindowSeconds);
  // A lifetime the kind does not allow falls back to its longest allowed one.
  const ttlSeconds = choices.some((choice) => choice.seconds === chosenTtl) ? chosenTtl : choices[choices.length - 1].seconds;
  const [user, setUser] = useState('');
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState('');
  const creating = useAction();
  const form = useRef<HTMLFormElement>(null);

  /** The request to send, or what to fix first; the contract's schemas decide, as main will. */
  const plan = (): { errors: FieldErrors } | { send: () => Promise<unknown> } => {
    if (kind === 'stream-key') {
      const checked = validate(keysRequests['keys.createStreamKey'].input, { app, stream, label }, MESSAGES);
      return 'errors' in checked ? checked : { send: () => airlock().invoke('keys.createStreamKey', checked.data) };
    }
    const userMessage = 'Choose the user the token speaks for.';
    const input = { kind, permission, app, stream, ttlSeconds, label, ...(kind === 'connect-token' && user !== '' ? { user } : {}) };
    const checked = validate(keysRequests['keys.issueCredential'].input, input, { ...MESSAGES, user: userMessage });
    const errors: FieldErrors = 'errors' in checked ? { ...checked.errors } : {};
    if (kind === 'connect-token' && user === '') errors.user = userMessage;
    if ('errors' in checked || Object.keys(errors).length > 0) return { errors };
    return { send: () => airlock().invoke('keys.issueCredential', checked.data) };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setCreated('');
    const planned = plan();
    if ('errors' in planned) {
      setErrors(planned.errors);
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setErrors({});
    const what = `${KIND_LABELS[kind].toLowerCase()} for ${app}/${stream}`;
    if (await creating.run(planned.send)) {
      setCreated(`Created a ${what}. Copy it from the list below.`);
      setLabel('');
      onCreated();
    }
  };

  return (
    <Section title="New key, link or token" description="Choose what to create, for which stream, and for how long.">
      <form ref={form} className="form-grid" onSubmit={submit} noValidate aria-label="New key, link or token">
        <Field label="Type">
          {(control) => (
            <select {...control} value={kind} onChange={(e) => setKind(e.target.value as SecretKind)}>
              {(Object.keys(KIND_LABELS) as SecretKind[]).map((option) => (
                <option key={option} value={option}>
                  {KIND_LABELS[option]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind === 'stream-key' ? (
          <p className="field-hint form-note">A stream key lets OBS or ffmpeg publish to one stream until you revoke it.</p>
        ) : (
          <Field label="Permission">
            {(control) => (
              <select {...control} value={permission} onChange={(e) => setPermission(e.target.value as Permission)}>
                <option value="publish">Publish</option>
                <option value="play">Play</option>
              </select>
            )}
          </Field>
        )}
        {kind === 'connect-token' && (
          <Field label="User" error={errors.user} hint={users.length === 0 ? 'Add a user above first: a connect token speaks for a user.' : undefined}>
            {(control) => (
              <select {...control} value={user} disabled={users.length === 0} onChange={(e) => setUser(e.target.value)}>
                <option value="">Choose a user…</option>
                {users.map((known) => (
                  <option key={known.name} value={known.name}>
                    {known.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="App" error={errors.app}>
          {(control) => <input {...control} value={app} onChange={(e) => setApp(e.target.value)} />}
        </Field>
        <Field label="Stream" error={errors.stream}>
          {(control) => <input {...control} value={stream} placeholder="studio" onChange={(e) => setStream(e.target.value)} />}
        </Field>
        {kind !== 'stream-key' && (
          <Field
            label="Expires in"
            error={errors.ttlSeconds}
            hint={kind === 'connect-token' ? `Connect tokens last at most ${formatDuration(2 * tokenWindowSeconds)} (twice the token window); for longer, use a signed link.` : undefined}
          >
            {(control) => (
              <select {...control} value={ttlSeconds} onChange={(e) => setTtlSeconds(Number(e.target.value))}>
                {choices.map((choice) => (
                  <option key={choice.seconds} value={choice.seconds}>
                    {choice.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Label (optional)" error={errors.label}>
          {(control) => <input {...control} value={label} placeholder="e.g. Laptop OBS" onChange={(e) => setLabel(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <ActionButton type="submit" variant="primary" busy={creating.pending}>
            Create
          </ActionButton>
        </div>
      </form>
      <p role="status" className="field-hint">
        {created}
      </p>
      <ErrorNotice error={creating.error} title="Nothing was created" onDismiss={creating.clearError} />
    </Section>
  );
}
