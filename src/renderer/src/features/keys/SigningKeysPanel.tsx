// The keys that sign links: which is active, and rotation (optionally retiring the previous key at once).
import { useState } from 'react';
import type { SigningKeyInfo } from '../../../../shared/ipc';
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { formatDateTime } from '../../ui/format';
import { Section } from '../../ui/Section';
import { useAction } from '../../ui/useAction';

const STATE_TEXT: Record<SigningKeyInfo['state'], string> = {
  active: 'Active: signs new links',
  valid: 'Valid: still verifies links it signed',
  retired: 'Retired: no longer verifies',
  revoked: 'Revoked',
};

export function SigningKeysPanel({ signingKeys, onChanged }: { signingKeys: SigningKeyInfo[]; onChanged: () => void }) {
  const [retirePrevious, setRetirePrevious] = useState(false);
  const [message, setMessage] = useState('');
  const rotating = useAction();

  const rotate = async () => {
    setMessage('');
    const keys = await rotating.run(() => airlock().invoke('keys.rotateSigningKey', { retirePrevious }));
    if (keys) {
      const active = keys.find((key) => key.state === 'active');
      setMessage(`Signing key rotated${active ? `: ${active.id} is now active` : ''}.${retirePrevious ? ' Links signed with the previous key no longer work.' : ''}`);
      setRetirePrevious(false);
      onChanged();
    }
  };

  return (
    <Section title="Signing keys" description="Signed links carry a signature from one of these keys. Rotate to start signing with a new one.">
      {signingKeys.length === 0 ? (
        <EmptyState title="No signing key yet">Rotate to create the first one; signed links need it.</EmptyState>
      ) : (
        <ul className="items" aria-label="Signing keys">
          {signingKeys.map((key) => (
            <li key={key.id} className="item" aria-label={`Signing key ${key.id}`}>
              <div className="item-head">
                <code className="item-title">{key.id}</code>
                <span className={`badge badge-key-${key.state}`}>{STATE_TEXT[key.state]}</span>
                <span className="muted">created {formatDateTime(key.createdAt)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="form-row">
        <label className="checkbox">
          <input type="checkbox" checked={retirePrevious} onChange={(e) => setRetirePrevious(e.target.checked)} />
          Retire the previous key now (links it signed stop working)
        </label>
        <ActionButton variant={retirePrevious ? 'danger' : 'secondary'} busy={rotating.pending} onClick={rotate}>
          Rotate signing key
        </ActionButton>
      </div>
      <p role="status" className="field-hint">
        {message}
      </p>
      <ErrorNotice error={rotating.error} title="Signing key not rotated" onDismiss={rotating.clearError} />
    </Section>
  );
}
