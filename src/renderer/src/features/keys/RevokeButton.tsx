// Revokes one stream key or credential at once: the server refuses it from then on.
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useAction } from '../../ui/useAction';
import type { SecretKind } from './shareRows';

export function RevokeButton({ kind, id, onRevoked }: { kind: SecretKind; id: string; onRevoked: () => void }) {
  const revoking = useAction();
  const revoke = async () => {
    const done = await revoking.run(() =>
      kind === 'stream-key' ? airlock().invoke('keys.revokeStreamKey', { id }) : airlock().invoke('keys.revokeCredential', { id }),
    );
    if (done !== undefined) onRevoked();
  };
  return (
    <>
      <ActionButton variant="danger" className="button-small" busy={revoking.pending} onClick={revoke}>
        Revoke
      </ActionButton>
      <ErrorNotice error={revoking.error} title="Not revoked" onDismiss={revoking.clearError} />
    </>
  );
}
