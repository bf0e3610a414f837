// The Studio screen: camera and microphone to the embedded server in one click, with the local preview and the encoder's health.
import { useRef } from 'react';
import { ActionButton } from '../../ui/ActionButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Loading } from '../../ui/Loading';
import { Section } from '../../ui/Section';
import { CaptureControls } from './CaptureControls';
import { EncoderStatusPanel } from './EncoderStatusPanel';
import { canGoLive, canStop } from './go-live-machine';
import { GoLiveStepper } from './GoLiveStepper';
import { LocalPreview } from './LocalPreview';
import { useRendered } from '../../ui/useRendered';
import { useStudioSession } from './useStudioSession';
import './studio.css';

const MIB = 1024 * 1024;

export function StudioScreen() {
  const root = useRef<HTMLDivElement>(null);
  const { state, session } = useStudioSession(useRendered(root));
  const { goLive } = state;
  return (
    <div className="screen" ref={root}>
      <h1>Studio</h1>
      <Section
        title="Go live"
        description="Starts the server if needed, records your camera and microphone, and publishes them to the embedded server. Watch what viewers get on the Preview screen."
        actions={
          <>
            <ActionButton variant="primary" disabled={!canGoLive(goLive)} busy={goLive.phase === 'starting'} onClick={() => void session.goLive()}>
              Go live
            </ActionButton>
            <ActionButton variant="danger" disabled={!canStop(goLive)} busy={goLive.phase === 'stopping'} onClick={() => session.stop()}>
              Stop
            </ActionButton>
          </>
        }
      >
        <GoLiveStepper state={goLive} />
        {/* A camera problem is shown once, over the camera preview with its retry. */}
        <ErrorNotice error={goLive.failedStep === 'camera' && state.cameraProblem !== null ? null : goLive.problem} />
        {state.encoder !== null && <EncoderStatusPanel status={state.encoder} name="Encoder" />}
        {goLive.phase === 'live' && (
          <p className="field-hint">
            Recording as <code>{state.mimeType}</code>; recorded and not yet taken by the encoder:{' '}
            <span aria-label="Queued video">{(state.heldBytes / MIB).toFixed(2)} MiB</span>
          </p>
        )}
      </Section>
      <Section title="Camera and microphone" description="The preview shows the camera directly, without delay. The choices apply to the next Go live.">
        <div className="studio-camera">
          <LocalPreview stream={state.preview} problem={state.cameraProblem} onRetry={() => session.retryCamera()} />
          {state.capture === null ? (
            <Loading what="capture settings" />
          ) : (
            <CaptureControls
              capture={state.capture}
              cameras={state.cameras}
              microphones={state.microphones}
              editable={canGoLive(goLive)}
              onChange={(patch) => session.updateCapture(patch)}
            />
          )}
        </div>
      </Section>
    </div>
  );
}
