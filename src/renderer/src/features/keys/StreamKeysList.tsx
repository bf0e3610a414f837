// Stream keys: one per stream, for OBS's Stream Key field or an ffmpeg URL, valid until revoked.
import type { StreamKeyInfo } from '../../../../shared/ipc';
import { EmptyState } from '../../ui/EmptyState';
import { formatDateTime } from '../../ui/format';
import { Section } from '../../ui/Section';
import { RevokeButton, useFocusWhenRevoked } from './RevokeButton';
import { SharePanel } from './SharePanel';

const pathOf = (key: StreamKeyInfo) => `${key.app}/${key.stream}`;

function StreamKeyItem({ streamKey, onChanged }: { streamKey: StreamKeyInfo; onChanged: () => void }) {
  const title = streamKey.label || pathOf(streamKey);
  const { item, revokedHere } = useFocusWhenRevoked(streamKey.revoked);
  return (
    <li ref={item} tabIndex={-1} className={streamKey.revoked ? 'item item-inactive' : 'item'} aria-label={`Stream key ${title}`}>
      <div className="item-head">
        <span className="item-title">{title}</span>
        <span className="muted">
          publishes to {pathOf(streamKey)} · created {formatDateTime(streamKey.createdAt)}
        </span>
        {streamKey.revoked ? (
          <span className="badge badge-revoked">Revoked</span>
        ) : (
          <span className="item-actions">
            <RevokeButton
              kind="stream-key"
              id={streamKey.id}
              onRevoked={() => {
                revokedHere();
                onChanged();
              }}
            />
          </span>
        )}
      </div>
      {!streamKey.revoked && <SharePanel kind="stream-key" id={streamKey.id} permission="publish" />}
    </li>
  );
}

export function StreamKeysList({ streamKeys, onChanged }: { streamKeys: StreamKeyInfo[]; onChanged: () => void }) {
  const ordered = [...streamKeys].sort((a, b) => Number(a.revoked) - Number(b.revoked) || b.createdAt - a.createdAt);
  return (
    <Section title="Stream keys">
      {ordered.length === 0 ? (
        <EmptyState title="No stream keys yet">Create one above (Type: Stream key) and paste it into OBS's Stream Key field.</EmptyState>
      ) : (
        <ul className="items" aria-label="Stream keys">
          {ordered.map((streamKey) => (
            <StreamKeyItem key={streamKey.id} streamKey={streamKey} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </Section>
  );
}
