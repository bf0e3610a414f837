// Signed links and connect-object tokens: what each allows, on which stream, for whom, and a live countdown to expiry.
import type { IssuedCredentialInfo } from '../../../../shared/ipc';
import { Countdown } from '../../ui/Countdown';
import { EmptyState } from '../../ui/EmptyState';
import { formatDuration } from '../../ui/format';
import { Section } from '../../ui/Section';
import { useNow } from '../../ui/useNow';
import { KIND_LABELS } from './CreateForm';
import { RevokeButton, useFocusWhenRevoked } from './RevokeButton';
import { SharePanel } from './SharePanel';

const pathOf = (credential: IssuedCredentialInfo) => `${credential.app}/${credential.stream}`;

function CredentialItem({ credential, onChanged }: { credential: IssuedCredentialInfo; onChanged: () => void }) {
  const expired = useNow(1000) >= credential.expiresAt * 1000;
  const title = credential.label || pathOf(credential);
  const active = !credential.revoked && !expired;
  const { item, revokedHere } = useFocusWhenRevoked(credential.revoked);
  return (
    <li ref={item} tabIndex={-1} className={active ? 'item' : 'item item-inactive'} aria-label={`${KIND_LABELS[credential.kind]} ${title}`}>
      <div className="item-head">
        <span className="item-title">{title}</span>
        <span className="badge">{KIND_LABELS[credential.kind]}</span>
        <span className="muted">
          {credential.permission === 'publish' ? 'Publish to' : 'Play'} {pathOf(credential)}
          {credential.user ? ` as ${credential.user}` : ''}
        </span>
        {credential.revoked ? <span className="badge badge-revoked">Revoked</span> : <Countdown until={credential.expiresAt * 1000} />}
        {!credential.revoked && (
          <span className="item-actions">
            <RevokeButton
              kind={credential.kind}
              id={credential.id}
              onRevoked={() => {
                revokedHere();
                onChanged();
              }}
            />
          </span>
        )}
      </div>
      {active ? (
        <SharePanel kind={credential.kind} id={credential.id} permission={credential.permission} />
      ) : (
        <p className="muted">{credential.revoked ? 'The server refuses it.' : 'The server refuses it now.'} Create a new one if it is still needed.</p>
      )}
    </li>
  );
}

export function CredentialsList({ credentials, tokenWindowSeconds, onChanged }: { credentials: IssuedCredentialInfo[]; tokenWindowSeconds: number; onChanged: () => void }) {
  const ordered = [...credentials].sort((a, b) => Number(a.revoked) - Number(b.revoked) || b.issuedAt - a.issuedAt);
  return (
    <Section
      title="Signed links and tokens"
      description={`Connect-object tokens are accepted within ${formatDuration(tokenWindowSeconds)} of their timestamp, either way, until they expire.`}
    >
      {ordered.length === 0 ? (
        <EmptyState title="No links or tokens yet">Create a signed link or a connect-object token above to let a player watch or an encoder publish for a while.</EmptyState>
      ) : (
        <ul className="items" aria-label="Signed links and tokens">
          {ordered.map((credential) => (
            <CredentialItem key={credential.id} credential={credential} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </Section>
  );
}
