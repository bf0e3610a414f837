import { describe, expect, it } from 'vitest';
import { goLiveReducer, initialGoLive, stepStatus, STEPS, type GoLiveEvent, type GoLiveState } from '../../../../src/renderer/src/features/studio/go-live-machine';

const run = (...events: GoLiveEvent[]): GoLiveState => events.reduce(goLiveReducer, initialGoLive);
const problem = { code: 'ENCODER_FAILED' as const, message: 'ffmpeg exited', hint: 'look at the log' };
const allDone: GoLiveEvent[] = STEPS.map((step) => ({ type: 'stepDone', step }));

describe('go-live machine', () => {
  it('walks Server → Camera → Encoder → Live, one step at a time', () => {
    expect(run({ type: 'go' })).toMatchObject({ phase: 'starting', step: 'server' });
    expect(run({ type: 'go' }, { type: 'stepDone', step: 'server' })).toMatchObject({ phase: 'starting', step: 'camera' });
    expect(run({ type: 'go' }, ...allDone)).toMatchObject({ phase: 'live', step: null });
  });

  it('ignores a step reported out of turn', () => {
    const state = run({ type: 'go' }, { type: 'stepDone', step: 'encoder' });
    expect(state).toMatchObject({ phase: 'starting', step: 'server' });
  });

  it('refuses a second Go live while one is starting or live', () => {
    const starting = run({ type: 'go' }, { type: 'stepDone', step: 'server' });
    expect(goLiveReducer(starting, { type: 'go' })).toBe(starting);
    const live = run({ type: 'go' }, ...allDone);
    expect(goLiveReducer(live, { type: 'go' })).toBe(live);
  });

  it('names the failed step, stops, then shows the problem until the next Go live', () => {
    const failing = run({ type: 'go' }, { type: 'stepDone', step: 'server' }, { type: 'fail', problem });
    expect(failing).toMatchObject({ phase: 'stopping', failedStep: 'camera', problem });
    const failed = goLiveReducer(failing, { type: 'stopped' });
    expect(failed).toMatchObject({ phase: 'failed', failedStep: 'camera', problem });
    expect(STEPS.map((step) => stepStatus(failed, step))).toEqual(['done', 'failed', 'pending', 'pending']);
    expect(goLiveReducer(failed, { type: 'go' })).toEqual({ phase: 'starting', step: 'server', failedStep: null, problem: null });
  });

  it('blames the step a live failure names', () => {
    const state = run({ type: 'go' }, ...allDone, { type: 'fail', problem, step: 'encoder' }, { type: 'stopped' });
    expect(STEPS.map((step) => stepStatus(state, step))).toEqual(['done', 'done', 'failed', 'pending']);
  });

  it('ends a user stop back at idle, and ignores failures reported while stopping', () => {
    const stopping = run({ type: 'go' }, ...allDone, { type: 'stop' });
    expect(stopping.phase).toBe('stopping');
    expect(goLiveReducer(stopping, { type: 'fail', problem })).toBe(stopping);
    expect(goLiveReducer(stopping, { type: 'stopped' })).toMatchObject({ phase: 'idle', problem: null });
  });

  it('shows the stepper as done up to the active step', () => {
    const state = run({ type: 'go' }, { type: 'stepDone', step: 'server' }, { type: 'stepDone', step: 'camera' });
    expect(STEPS.map((step) => stepStatus(state, step))).toEqual(['done', 'done', 'active', 'pending']);
    expect(STEPS.map((step) => stepStatus(run({ type: 'go' }, ...allDone), step))).toEqual(['done', 'done', 'done', 'done']);
    expect(STEPS.map((step) => stepStatus(initialGoLive, step))).toEqual(['pending', 'pending', 'pending', 'pending']);
  });
});
