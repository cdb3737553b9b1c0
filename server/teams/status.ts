// A team's status, derived (never stored) from its latest fix and what it is doing.
import { OFFLINE_AFTER_MS, type TeamPosition, type TeamStatus } from '../../shared/teams';

/** Moving faster than this (m/s, a brisk walk) counts as under way. */
export const MOVING_SPEED = 1.2;

export function teamStatus(position: TeamPosition | null, now: number, onSite = false): TeamStatus {
  if (!position || now - position.at > OFFLINE_AFTER_MS) return 'offline';
  if (onSite) return 'on_site';
  return position.speed !== null && position.speed >= MOVING_SPEED ? 'en_route' : 'idle';
}
