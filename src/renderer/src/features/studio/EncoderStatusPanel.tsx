// One encoder's status as ffmpeg reports it: state, target, bitrate, fps, speed, dropped frames, and restarts with their reason.
import type { EncoderState, EncoderStatus } from '../../../../shared/ipc';
import { formatBitrate } from '../../ui/format';

const STATE_WORDS: Record<EncoderState, string> = {
  idle: 'Idle',
  starting: 'Starting',
  running: 'Running',
  restarting: 'Restarting',
  stopping: 'Stopping',
  stopped: 'Stopped',
  failed: 'Failed',
};

const VIDEO_WORDS = { copy: 'H.264 as recorded (copied)', x264: 'Re-encoded with x264' } as const;

/** A reading, or a dash while ffmpeg has not reported it. */
const reading = (value: number | null | undefined, format: (value: number) => string): string => (value === null || value === undefined ? '–' : format(value));

interface EncoderStatusPanelProps {
  status: EncoderStatus;
  /** Prefixes every reading's accessible name ("Encoder bitrate", "Test bench bitrate"), so two panels never collide. */
  name: string;
}

export function EncoderStatusPanel({ status, name }: EncoderStatusPanelProps) {
  const progress = status.progress;
  return (
    <div className="encoder-status">
      <dl className="readouts">
        <div>
          <dt>{name}</dt>
          <dd aria-label={`${name} state`}>{STATE_WORDS[status.state]}</dd>
        </div>
        {status.video && (
          <div>
            <dt>Video</dt>
            <dd aria-label={`${name} video`}>{VIDEO_WORDS[status.video]}</dd>
          </div>
        )}
        {status.target && (
          <div>
            <dt>Publishing to</dt>
            <dd aria-label={`${name} target`}>{status.target}</dd>
          </div>
        )}
        <div>
          <dt>Bitrate</dt>
          <dd aria-label={`${name} bitrate`}>{reading(progress?.bitrateKbps, formatBitrate)}</dd>
        </div>
        <div>
          <dt>Frame rate</dt>
          <dd aria-label={`${name} frame rate`}>{reading(progress?.fps, (fps) => `${fps.toFixed(1)} fps`)}</dd>
        </div>
        <div>
          <dt>Speed</dt>
          <dd aria-label={`${name} speed`}>{reading(progress?.speed, (speed) => `${speed.toFixed(2)}×`)}</dd>
        </div>
        <div>
          <dt>Dropped frames</dt>
          <dd aria-label={`${name} dropped frames`}>{progress ? String(progress.droppedFrames) : '–'}</dd>
        </div>
        <div>
          <dt>Restarts</dt>
          <dd aria-label={`${name} restarts`}>{status.restarts}</dd>
        </div>
      </dl>
      <EncoderTrouble status={status} name={name} />
    </div>
  );
}

/** A restart under way or a final failure: why, and what to try. */
function EncoderTrouble({ status, name }: EncoderStatusPanelProps) {
  if (status.state === 'restarting') {
    const when = status.retryInMs === undefined ? '' : ` in ${(status.retryInMs / 1000).toFixed(1)} s`;
    return (
      <div className="notice notice-warning" role="status">
        <p className="notice-title">
          {name} restarting (attempt {status.attempt ?? status.restarts}){when}
          {status.reason ? `: ${status.reason}` : '.'}
        </p>
        {status.hint && <p className="notice-hint">{status.hint}</p>}
      </div>
    );
  }
  if (status.state === 'failed') {
    return (
      <div className="notice notice-error" role="alert">
        <p className="notice-title">
          {name} failed{status.reason ? `: ${status.reason}` : '.'}
        </p>
        {status.hint && <p className="notice-hint">{status.hint}</p>}
      </div>
    );
  }
  return null;
}
