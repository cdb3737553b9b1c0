// Straight-line distances on the ground, for "nearest available teams" in the dispatch panel.
import type { Team, TeamStatus } from '../../../shared/teams';
import type { Translate } from './translate';

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine; at county scale the error is far below a metre). */
export function distanceMeters(a: [number, number], b: [number, number]): number {
  const dLat = rad(b[1] - a[1]);
  const dLng = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A straight-line distance as the dispatch panel writes it, in the page's language (`t`). */
export function formatDistance(m: number, t: Translate): string {
  return m < 999.5
    ? t('screen.distance.m', { n: String(Math.round(m)) })
    : // One decimal under 10 km, as it rounds (999.6 m is 1.0 公里, not 1000 米; 9,960 m is 10
      // 公里 like 10,400 m, not 10.0).
      t('screen.distance.km', { n: (m / 1000).toFixed(m < 9_950 ? 1 : 0) });
}

export interface NearbyTeam {
  team: Team;
  meters: number;
  /** The team belongs to the unit the case is (or would be) with. */
  own?: boolean;
}

/**
 * Availability order, between teams at the same distance: free teams first (standing by or on their
 * rounds), then those on their way to a case, then on site; offline teams last.
 */
const STATUS_RANK: Record<TeamStatus, number> = { idle: 0, patrol: 0, en_route: 1, on_site: 2, offline: 3 };

/**
 * The `n` nearest teams with a position, nearest first (each with its status for the operator to
 * weigh), offline ones after all the others.
 */
export function nearestTeams(teams: Iterable<Team>, at: [number, number], n = 5): NearbyTeam[] {
  const out: NearbyTeam[] = [];
  for (const team of teams) {
    if (!team.position) continue;
    out.push({ team, meters: distanceMeters(at, [team.position.lng, team.position.lat]) });
  }
  out.sort(
    (a, b) =>
      (a.team.status === 'offline' ? 1 : 0) - (b.team.status === 'offline' ? 1 : 0) ||
      a.meters - b.meters ||
      STATUS_RANK[a.team.status] - STATUS_RANK[b.team.status],
  );
  return out.slice(0, n);
}

/**
 * The nearest teams to a case for the dispatch panel: the `n` nearest of any unit, each marked `own`
 * when it is the unit the case is with (or suggested for), and that unit's own nearest team added
 * at the end when none of its teams is among them, so the operator sees how far the unit they are
 * about to send it to is.
 */
export function teamsForCase(
  teams: readonly Team[],
  at: [number, number],
  unit: { kind: string; code: string } | null,
  n = 5,
): NearbyTeam[] {
  const isOwn = (t: Team) => !!unit && t.owner.kind === unit.kind && t.owner.code === unit.code;
  const near = nearestTeams(teams, at, n).map((x) => (isOwn(x.team) ? { ...x, own: true } : x));
  if (!unit || near.some((x) => x.own)) return near;
  const ownNearest = nearestTeams(teams.filter(isOwn), at, 1)[0];
  return ownNearest ? [...near, { ...ownNearest, own: true }] : near;
}
