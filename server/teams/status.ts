// A team's status, derived (never stored) from its latest fix and what it is doing.
import { OFFLINE_AFTER_MS, type TeamPosition, type TeamStatus, type TeamTaskStage } from '../../shared/teams';

/** Moving faster than this (m/s, a brisk walk) counts as under way. */
export const MOVING_SPEED = 1.2;

/**
 * Offline without a recent fix, whatever its task; else its task's stage (sent: en_route, arrived:
 * on_site, even while it stands at a red light); with no task, patrol (巡查中) when moving, else
 * idle. (A team moving without a task read 前往现场 beside 当前无任务 before: a free team on its
 * rounds looked like one on its way to a case, and came after the standing ones among the nearest.)
 */
export function teamStatus(
  position: TeamPosition | null,
  now: number,
  stage: TeamTaskStage | null = null,
): TeamStatus {
  if (!position || now - position.at > OFFLINE_AFTER_MS) return 'offline';
  if (stage) return stage;
  return position.speed !== null && position.speed >= MOVING_SPEED ? 'patrol' : 'idle';
}
