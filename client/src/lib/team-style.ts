import type { TeamStatus } from '../../../shared/teams';

export const TEAM_STATUS_COLORS: Record<TeamStatus, string> = {
  idle: '#21c07a',
  patrol: '#a0d911',
  en_route: '#ffcc4d',
  on_site: '#3ea6ff',
  offline: '#6b7a90',
};
