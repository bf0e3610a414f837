// Revokes one stream key or credential at once: the server refuses it from then on.
import { useEffect, useRef, type RefObject } from 'react';
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useAction } from '../../ui/useAction';
import type { SecretKind } from './shareRows';

/**
 * The Revoke button hides itself once it has worked: focus goes to the item instead (now reading "Revoked"), once the
 * list has re-rendered, rather than falling back to the page.
 */
export function useFocusWhenRevoked(revoked: boolean): { item: RefObject<HTMLLIElement | null>; revokedHere: () => void } {
  const item = useRef<HTMLLIElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (!revoked || !asked.current) return;
    asked.current = false;
    item.current?.focus();
  }, [revoked]);
  return {
    item,
    revokedHere: () => {
      asked.current = true;
    },
  };
}

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
