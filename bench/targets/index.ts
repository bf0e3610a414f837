// The servers the bench can run, by name.
import { startAirlock } from './airlock';
import { startNginx } from './nginx';
import { startNms } from './nms';
import type { RunningTarget, TargetContext, TargetName } from './target';

export { TARGET_NAMES, killAllTargets } from './target';
export type { RunningTarget, TargetContext, TargetName } from './target';

const STARTERS: Record<TargetName, (ctx: TargetContext) => Promise<RunningTarget>> = {
  airlock: startAirlock,
  nginx: startNginx,
  nms: startNms,
};

export function startTarget(name: TargetName, ctx: TargetContext): Promise<RunningTarget> {
  return STARTERS[name](ctx);
}
