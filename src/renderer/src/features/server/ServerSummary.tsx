// The status bar's view of the server: its state (announced when it changes), live streams and viewers.
import { viewersOf, type ServerStatus } from '../../../../shared/ipc';
import { STATE_LABELS } from './stateText';
import { useStatsSample } from './useLiveStats';
import { useServerStatus } from './useServerStatus';

/** The state, worth announcing; the counts change often and are only shown. */
function stateOf(status: ServerStatus | undefined): string {
  if (!status) return 'Server: checking…';
  const state = `Server: ${STATE_LABELS[status.state].toLowerCase()}`;
  return status.state === 'restarting' && status.attempt ? `${state} (attempt ${status.attempt})` : state;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function ServerSummary() {
  const status = useServerStatus().data;
  const streams = useStatsSample()?.streams ?? [];
  const viewers = streams.reduce((sum, stream) => sum + viewersOf(stream), 0);
  return (
    <span className={`status-item status-${status?.state ?? 'unknown'}`}>
      <span className="status-dot" aria-hidden="true" />
      <span role="status">{stateOf(status)}</span>
      {status?.state === 'running' && (
        <span>
          {' '}
          · {plural(streams.length, 'live stream', 'live streams')} · {plural(viewers, 'viewer', 'viewers')}
        </span>
      )}
    </span>
  );
}
