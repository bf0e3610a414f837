// Copy buttons for OBS, ffmpeg and play URLs, with every secret masked until the user reveals it (fetched only then).
import { useRef, useState } from 'react';
import { StudioError, type CredentialShare, type Permission } from '../../../../shared/ipc';
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { CopyButton } from '../../ui/CopyButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useAction } from '../../ui/useAction';
import { visibleRows, type SecretKind, type ShareRow } from './shareRows';

interface SharePanelProps {
  kind: SecretKind;
  id: string;
  permission: Permission;
}

function Masked() {
  return (
    <span className="masked">
      <span aria-hidden="true">••••••••••••••••</span>
      <span className="visually-hidden">hidden</span>
    </span>
  );
}

export function SharePanel({ kind, id, permission }: SharePanelProps) {
  const [share, setShare] = useState<CredentialShare | null>(null);
  const [revealed, setRevealed] = useState(false);
  const inFlight = useRef<Promise<CredentialShare> | null>(null);
  const revealing = useAction();

  /** The share, asked of main at most once at a time; kept while this panel lives so a copy does not ask twice. */
  const fetchShare = async (): Promise<CredentialShare> => {
    if (share) return share;
    inFlight.current ??= airlock()
      .invoke('keys.reveal', { kind, id })
      .finally(() => {
        inFlight.current = null;
      });
    const fetched = await inFlight.current;
    setShare(fetched);
    return fetched;
  };

  const toggle = async () => {
    if (revealed) {
      setRevealed(false);
      setShare(null);
      return;
    }
    if (await revealing.run(fetchShare)) setRevealed(true);
  };

  const copyText = (row: ShareRow) => async () => {
    const value = row.pick(await fetchShare());
    if (value == null) throw new StudioError('NOT_FOUND', row.missing);
    return value;
  };

  return (
    <div className="share">
      <div className="share-toolbar">
        <ActionButton className="button-small" busy={revealing.pending} onClick={toggle}>
          {revealed ? 'Hide' : 'Reveal'}
        </ActionButton>
      </div>
      <ErrorNotice error={revealing.error} title="Could not read the secret" onDismiss={revealing.clearError} />
      <dl className="share-rows">
        {visibleRows(kind, permission, share).map((row) => {
          const value = share ? row.pick(share) : null;
          return (
            <div key={row.id} className="share-row">
              <dt>{row.label}</dt>
              <dd>
                {revealed && value ? <code className="secret">{value}</code> : <Masked />}
                <CopyButton label={`Copy ${row.label}`} text={copyText(row)} />
              </dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}
