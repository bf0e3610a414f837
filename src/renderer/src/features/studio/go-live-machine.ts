// Go live as a pure state machine: Server → Camera → Encoder → Live, a clean stop, and a failure that names its step.
import type { StudioErrorBody } from '../../../../shared/ipc';

export const STEPS = ['server', 'camera', 'encoder', 'live'] as const;
export type StepId = (typeof STEPS)[number];

export type Phase = 'idle' | 'starting' | 'live' | 'stopping' | 'failed';

/** What went wrong, in words for the user, and what to try: a StudioError from main, or one the renderer made. */
export type Problem = StudioErrorBody;

export interface GoLiveState {
  phase: Phase;
  /** The step under way while starting. */
  step: StepId | null;
  /** The step that failed, kept while stopping and after. */
  failedStep: StepId | null;
  problem: Problem | null;
}

export type GoLiveEvent =
  | { type: 'go' }
  | { type: 'stepDone'; step: StepId }
  /** The current step (or, when live, `step`) failed: stop what runs, then show the problem. */
  | { type: 'fail'; problem: Problem; step?: StepId }
  | { type: 'stop' }
  /** Everything the run started has ended. */
  | { type: 'stopped' };

export const initialGoLive: GoLiveState = { phase: 'idle', step: null, failedStep: null, problem: null };

const running = (state: GoLiveState): boolean => state.phase === 'starting' || state.phase === 'live';

export function goLiveReducer(state: GoLiveState, event: GoLiveEvent): GoLiveState {
  switch (event.type) {
    case 'go':
      return state.phase === 'idle' || state.phase === 'failed' ? { phase: 'starting', step: STEPS[0], failedStep: null, problem: null } : state;
    case 'stepDone': {
      if (state.phase !== 'starting' || state.step !== event.step) return state;
      const next = STEPS[STEPS.indexOf(event.step) + 1];
      return next === undefined ? { ...state, phase: 'live', step: null } : { ...state, step: next };
    }
    case 'fail':
      if (!running(state)) return state;
      return { phase: 'stopping', step: null, failedStep: event.step ?? state.step ?? 'live', problem: event.problem };
    case 'stop':
      return running(state) ? { phase: 'stopping', step: null, failedStep: null, problem: null } : state;
    case 'stopped':
      return state.phase === 'stopping' ? { ...state, phase: state.problem === null ? 'idle' : 'failed' } : state;
  }
}

export type StepStatus = 'pending' | 'active' | 'done' | 'failed';

/** How the stepper shows one step. */
export function stepStatus(state: GoLiveState, step: StepId): StepStatus {
  const index = STEPS.indexOf(step);
  if (state.phase === 'live') return 'done';
  const failed = state.failedStep === null ? -1 : STEPS.indexOf(state.failedStep);
  if (failed >= 0) return index < failed ? 'done' : index === failed ? 'failed' : 'pending';
  const active = state.step === null ? -1 : STEPS.indexOf(state.step);
  if (active < 0) return 'pending';
  return index < active ? 'done' : index === active ? 'active' : 'pending';
}

export const canGoLive = (state: GoLiveState): boolean => state.phase === 'idle' || state.phase === 'failed';
export const canStop = running;
