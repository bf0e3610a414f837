// The server's state (with restarts under way and why it crashed), where it listens, and Start / Stop.
import { useMemo } from 'react';
import type { ServerStatus } from '../../../../shared/ipc';
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { Countdown } from '../../ui/Countdown';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Section } from '../../ui/Section';
import { useAction } from '../../ui/useAction';
import { canStart, STATE_LABELS } from './stateText';

function StateDetail({ status }: { status: ServerStatus }) {
  // The retry deadline counts from when this status arrived.
  const retryAt = useMemo(() => Date.now() + (status.retryInMs ?? 0), [status]);
  switch (status.state) {
    case 'starting':
      return <p>Opening the listeners…</p>;
    case 'running':
      return <p>Accepting publishers and players{status.restarts > 0 ? ` (restarted ${status.restarts} ${status.restarts === 1 ? 'time' : 'times'} since launch)` : ''}.</p>;
    case 'restarting':
      return (
        <p>
          The server stopped unexpectedly{status.reason ? `: ${status.reason}` : ''}. Restart attempt {status.attempt ?? status.restarts + 1},{' '}
          <Countdown until={retryAt} prefix="next try in" expiredText="trying now" />.
        </p>
      );
    case 'crashed':
      return (
        <p>
          The server stopped unexpectedly and was not restarted{status.reason ? `: ${status.reason}` : ''}. Start it again; if it fails again, check that no
          other program uses its ports (Connection settings below).
        </p>
      );
    case 'stopped':
      return <p>{status.reason ? `${status.reason}. ` : ''}Nothing can publish or play until you start it.</p>;
  }
}

function Endpoints({ status }: { status: ServerStatus }) {
  const { rtmp, rtmps, http } = status.endpoints;
  if (status.state !== 'running') return null;
  return (
    <dl className="facts">
      <dt>RTMP</dt>
      <dd>
        <code>{rtmp ?? 'off'}</code>
      </dd>
      <dt>RTMPS</dt>
      <dd>
        <code>{rtmps ?? 'off'}</code>
      </dd>
      <dt>HTTP-FLV, WS-FLV and stats</dt>
      <dd>
        <code>{http ?? 'off'}</code>
      </dd>
      <dt>Reachable from</dt>
      <dd>{status.lanExposed ? `this computer and the local network${status.lanAddresses.length ? ` (${status.lanAddresses.join(', ')})` : ''}` : 'this computer only (127.0.0.1)'}</dd>
    </dl>
  );
}

/** `onStatus` takes the answer of start and stop at once, before any event. */
export function ServerControl({ status, onStatus }: { status: ServerStatus; onStatus: (status: ServerStatus) => void }) {
  const starting = useAction();
  const stopping = useAction();
  const start = () => {
    stopping.clearError();
    void starting.run(async () => onStatus(await airlock().invoke('server.start')));
  };
  const stop = () => {
    starting.clearError();
    void stopping.run(async () => onStatus(await airlock().invoke('server.stop')));
  };

  return (
    <Section
      title="Status"
      actions={
        canStart(status.state) ? (
          <ActionButton variant="primary" busy={starting.pending} onClick={start}>
            Start server
          </ActionButton>
        ) : (
          <ActionButton variant="danger" busy={stopping.pending} onClick={stop}>
            Stop server
          </ActionButton>
        )
      }
    >
      <div className="server-state">
        <p className="state-line">
          Server state: <span className={`badge badge-${status.state}`}>{STATE_LABELS[status.state]}</span>
          {status.state === 'starting' && <span className="spinner" aria-hidden="true" />}
        </p>
        <StateDetail status={status} />
      </div>
      <ErrorNotice error={starting.error} title="Could not start the server" onDismiss={starting.clearError} />
      <ErrorNotice error={stopping.error} title="Could not stop the server" onDismiss={stopping.clearError} />
      <Endpoints status={status} />
    </Section>
  );
}
