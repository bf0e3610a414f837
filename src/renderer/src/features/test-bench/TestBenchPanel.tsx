// The one-click test bench: ffmpeg's test pattern with a tone, published through the full authenticated path, then previewed.
import { useState } from 'react';
import type { EncoderStatus } from '../../../../shared/ipc';
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Section } from '../../ui/Section';
import { useAction } from '../../ui/useAction';
import { useEvent } from '../../ui/useEvent';
import { EncoderStatusPanel } from '../studio/EncoderStatusPanel';
import { ensureServerRunning } from '../studio/server-ready';

export interface TestBenchStream {
  app: string;
  stream: string;
}

const isRunning = (status: EncoderStatus | null): boolean => status !== null && (status.state === 'starting' || status.state === 'running' || status.state === 'restarting');

/** What the live region says about the test bench. */
function testBenchWords(status: EncoderStatus | null, secure: boolean | null): string {
  if (status === null) return 'The test bench is not running.';
  const over = secure === null ? '' : secure ? ' over RTMPS' : ' over RTMP';
  const to = status.target ? ` to ${status.target}` : '';
  switch (status.state) {
    case 'starting':
      return `Starting the test pattern${over}…`;
    case 'running':
      return `Publishing the test pattern${over}${to}.`;
    case 'restarting':
      return 'The test pattern is restarting…';
    case 'failed':
      return 'The test bench failed.';
    default:
      return 'The test bench is not running.';
  }
}

export function TestBenchPanel({ onStarted }: { onStarted: (stream: TestBenchStream) => void }) {
  const [status, setStatus] = useState<EncoderStatus | null>(null);
  const [secure, setSecure] = useState<boolean | null>(null);
  const action = useAction();
  useEvent('encoder.status', (next) => next.source === 'test-bench' && setStatus(next));

  const start = (useTls: boolean) =>
    void action.run(async () => {
      await ensureServerRunning(airlock());
      const started = await airlock().invoke('testBench.start', { secure: useTls });
      setSecure(useTls);
      setStatus(started.status);
      onStarted({ app: started.app, stream: started.stream });
    });
  const stop = () => void action.run(async () => setStatus(await airlock().invoke('testBench.stop')));

  return (
    <Section
      title="Test bench"
      description="Publishes a test pattern with a 440 Hz tone to the local server through the full authenticated path and plays it above, so you can check the whole RTMP or RTMPS setup in seconds."
    >
      <div className="form-actions">
        <ActionButton variant="primary" busy={action.pending} onClick={() => start(false)}>
          Run test bench (RTMP)
        </ActionButton>
        <ActionButton busy={action.pending} onClick={() => start(true)}>
          Run test bench (RTMPS)
        </ActionButton>
        <ActionButton variant="danger" disabled={!isRunning(status)} busy={action.pending} onClick={stop}>
          Stop test bench
        </ActionButton>
      </div>
      <p role="status">
        {testBenchWords(status, secure)}
      </p>
      <ErrorNotice error={action.error} title="The test bench could not run" onDismiss={action.clearError} />
      {status !== null && <EncoderStatusPanel status={status} name="Test bench" />}
    </Section>
  );
}
