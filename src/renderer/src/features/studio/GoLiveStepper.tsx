// The Go live progress: Server → Camera → Encoder → Live, each step marked, and a live region saying what happens now.
import { STEPS, stepStatus, type GoLiveState, type StepId, type StepStatus } from './go-live-machine';

const STEP_LABELS: Record<StepId, string> = { server: 'Server', camera: 'Camera', encoder: 'Encoder', live: 'Live' };

const STATUS_WORDS: Record<StepStatus, string> = { pending: 'not started', active: 'in progress', done: 'done', failed: 'failed' };

const STATUS_MARKS: Record<StepStatus, string> = { pending: '○', active: '◌', done: '✓', failed: '✕' };

const ACTIVE_WORDS: Record<StepId, string> = {
  server: 'Starting the server…',
  camera: 'Opening the camera…',
  encoder: 'Starting the encoder…',
  live: 'Sending the first video to the server…',
};

/** What the live region says for this state. */
function progressWords(state: GoLiveState): string {
  switch (state.phase) {
    case 'idle':
      return 'Ready to go live.';
    case 'starting':
      return state.step === null ? '' : ACTIVE_WORDS[state.step];
    case 'live':
      return 'Live.';
    case 'stopping':
      return 'Stopping…';
    case 'failed':
      return `Stopped: the ${STEP_LABELS[state.failedStep ?? 'live'].toLowerCase()} step failed.`;
  }
}

export function GoLiveStepper({ state }: { state: GoLiveState }) {
  return (
    <div className="go-live-progress">
      <ol className="stepper" aria-label="Go live progress">
        {STEPS.map((step) => {
          const status = stepStatus(state, step);
          return (
            <li key={step} className={`step step-${status}`} aria-current={status === 'active' ? 'step' : undefined}>
              <span className="step-mark" aria-hidden="true">
                {STATUS_MARKS[status]}
              </span>
              {STEP_LABELS[step]}
              <span className="visually-hidden">: {STATUS_WORDS[status]}</span>
            </li>
          );
        })}
      </ol>
      <p className="go-live-status" role="status">
        {progressWords(state)}
      </p>
    </div>
  );
}
