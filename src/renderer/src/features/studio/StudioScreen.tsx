// The Studio screen: camera and microphone to the embedded server in one click, with the local preview and the encoder's health.
import { ActionButton } from '../../ui/ActionButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Loading } from '../../ui/Loading';
import { Section } from '../../ui/Section';
import { CaptureControls } from './CaptureControls';
import { EncoderStatusPanel } from './EncoderStatusPanel';
import { canGoLive, canStop } from './go-live-machine';
import { GoLiveStepper } from './GoLiveStepper';
import { LocalPreview } from './LocalPreview';
import { useStudioSession } from './useStudioSession';

const MIB = 1024 * 1024;

export function StudioScreen() {
  const { state, session } = useStudioSession();
  const { goLive } = state;
  return (
    <Section
      title="Studio"
      description="Your camera and microphone, published to the embedded server in one click. Watch what the server sends on the Preview screen."
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
      <ErrorNotice error={goLive.problem} />
      <div className="studio-layout">
        <LocalPreview stream={state.preview} problem={state.cameraProblem} onRetry={() => session.retryCamera()} />
        <div className="studio-side">
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
          {state.encoder !== null && <EncoderStatusPanel status={state.encoder} name="Encoder" />}
          {goLive.phase === 'live' && (
            <p className="field-hint">
              Waiting for the encoder: <span aria-label="Queued video">{(state.heldBytes / MIB).toFixed(2)} MiB</span>
            </p>
          )}
        </div>
      </div>
    </Section>
  );
}
