// Demo tracks: the last few days of each demo team's GPS track, written once with the demo history,
// so 轨迹回放 of yesterday shows a day's work (the live simulator reports only from the server's
// start). Each team's day follows its cases in the history: it leaves its seat (the township's, or
// the county seat for a department squad) when sent (派出队伍), is at the case's spot when the audit
// trail says it arrived (到场), stays until the work there is done, and comes back; between tasks it
// rides a patrol round through a village now and then. A fix every 15 s from 08:00 to 18:00
// (Shanghai), and around any task outside those hours. Deterministic from the seed.
import type { Logger } from '../logger';
import type { Store } from '../store/db';
import type { GeoIndex } from '../geo/types';
import type { PositionsTable } from '../store/schema';
import { insertRows } from '../store/insert-rows';
import { DAY_MS, HOUR_MS, startOfShanghaiDay } from '../../shared/time';
import { bearingDegrees, distanceMeters } from '../simulator/movement';
import { countySeatOf, seatOf } from '../simulator/fleet';
import { trailsOf, type FactEvent } from '../cases/facts-as-of';
import { buildWorld, hashString, mulberry, pick, type LngLat, type Rand } from './world';

/** Days of tracks before the history's end (and that day up to it). */
export const DEMO_TRACK_DAYS = 3;
/** One fix per team this often. */
export const DEMO_FIX_EVERY_MS = 15_000;
const MIN = 60_000;
const WORK_FROM = 8 * HOUR_MS;
const WORK_TO = 18 * HOUR_MS;
/** How fast a team drives between places, m/s (about 30 km/h; 20 in a 街道's streets). */
const SPEED = { rural: 8.3, urban: 5.6 };
/** On a site when the trail says nothing of when the work there ended. */
const ON_SITE_DEFAULT = 30 * MIN;
const ON_SITE_MAX = 2 * HOUR_MS;
/** What ends the work on a site (not a 督办, an overdue mark or a report merged in meanwhile). */
const WORK_ENDS = new Set([
  'resolve',
  'order_rectification',
  'report_rectified',
  'return',
  'reassign',
  'reject',
]);

interface Leg {
  t0: number;
  t1: number;
  from: LngLat;
  to: LngLat;
}

/** One team's task from the audit trail: sent at `sentAt`, on site from `arriveAt` to `leaveAt`. */
export interface Visit {
  sentAt: number;
  arriveAt: number;
  leaveAt: number;
  at: LngLat;
}

/**
 * A team's movements over [from, to): legs in time order, starting at `base`. Tasks in the order
 * they were arrived at: the team leaves for each as late as it can at `speed` and still be there
 * when the trail says it arrived, never before it was sent nor before its last leg ended (the
 * history may send one team to two places at once: the stay at the first is cut short); comes back
 * to base when the next task is not soon; rides a patrol round (a village and back) in a long idle
 * spell.
 */
export function planLegs(
  base: LngLat,
  visits: readonly Visit[],
  from: number,
  to: number,
  speed: number,
  villages: readonly LngLat[],
  rand: Rand,
): Leg[] {
  const legs: Leg[] = [];
  let at = base;
  let moved = from; // the end of the last leg: the team is at `at` from then
  let free = from; // when the work where it is ends
  const travel = (a: LngLat, b: LngLat) => (distanceMeters(a, b) / speed) * 1000;
  const go = (t0: number, dest: LngLat, t1 = t0 + travel(at, dest)) => {
    t1 = Math.max(t0, t1); // a leg never ends before it starts
    if (distanceMeters(at, dest) > 1) legs.push({ t0, t1, from: at, to: dest });
    at = dest;
    moved = t1;
    free = Math.max(free, t1);
  };
  /** Idle until `until`: now and then a patrol round, if there is time for one and back. */
  const idle = (until: number) => {
    if (!villages.length || until - free < 90 * MIN || rand() >= 0.7) return;
    const v = pick(villages, rand);
    const start = free + (10 + rand() * 30) * MIN;
    const stay = (10 + rand() * 20) * MIN;
    if (start + travel(at, v) + stay + travel(v, base) >= until) return;
    go(start, v);
    go(free + stay, base);
  };
  for (const v of [...visits].sort((a, b) => a.arriveAt - b.arriveAt)) {
    if (v.arriveAt < from || v.arriveAt >= to || v.arriveAt <= moved) continue;
    let leaveBy = v.arriveAt - travel(at, v.at);
    if (leaveBy - free > 45 * MIN) {
      if (distanceMeters(at, base) > 1) go(free, base);
      idle(v.arriveAt - travel(base, v.at) - 5 * MIN);
      leaveBy = v.arriveAt - travel(at, v.at);
    }
    const depart = Math.min(Math.max(moved, v.sentAt, leaveBy), v.arriveAt - 1000);
    go(Math.max(moved, depart), v.at, v.arriveAt);
    free = v.leaveAt;
  }
  if (distanceMeters(at, base) > 1 && free < to) go(free, base);
  idle(to);
  return legs;
}

/** Where the team is at `t`, heading and speed, given its legs (from `base`). */
export function positionAt(legs: readonly Leg[], base: LngLat, t: number, i: { n: number }) {
  while (i.n < legs.length && legs[i.n]!.t1 <= t) i.n++;
  const prev = i.n > 0 ? legs[i.n - 1]!.to : base;
  const leg = legs[i.n];
  if (!leg || t < leg.t0) return { p: prev, speed: 0, bearing: null as number | null };
  const f = (t - leg.t0) / Math.max(1, leg.t1 - leg.t0);
  return {
    p: [leg.from[0] + (leg.to[0] - leg.from[0]) * f, leg.from[1] + (leg.to[1] - leg.from[1]) * f] as LngLat,
    speed: distanceMeters(leg.from, leg.to) / ((leg.t1 - leg.t0) / 1000),
    bearing: Math.round(bearingDegrees(leg.from, leg.to)),
  };
}

/**
 * Each team's visits from the cases' trails (trailsOf: each case's events in order, payloads parsed):
 * 派出队伍 (start, with its team), 到场, and the work that ended the stay. After 整改完成 or 核查不通过
 * the team last sent goes back (sent then) for another 到场.
 */
export function visitsFromTrail(
  trails: ReadonlyMap<string, readonly FactEvent[]>,
  spots: ReadonlyMap<string, LngLat>,
): Map<string, Visit[]> {
  const byTeam = new Map<string, Visit[]>();
  for (const [caseId, events] of trails) {
    const at = spots.get(caseId);
    if (!at) continue;
    let open: { team: string; sentAt: number; arriveAt: number | null } | null = null;
    /** The team last sent, and when the work came back to it (整改完成, 核查不通过). */
    let sent: string | null = null;
    let backAt: number | null = null;
    const close = (leaveAt: number) => {
      // Work ended before the team arrived (a 责令整改 by phone): no stay, and a later 到场 is a return visit.
      if (open?.arriveAt == null) {
        open = null;
        return;
      }
      const list = byTeam.get(open.team) ?? [];
      list.push({
        sentAt: open.sentAt,
        arriveAt: open.arriveAt,
        leaveAt: Math.min(Math.max(leaveAt, open.arriveAt + 5 * MIN), open.arriveAt + ON_SITE_MAX),
        at,
      });
      byTeam.set(open.team, list);
      open = null;
    };
    for (const e of events) {
      if (e.type === 'start') {
        close(e.at);
        const team = e.payload.teamId;
        sent = typeof team === 'string' ? team : null;
        backAt = null;
        open = sent ? { team: sent, sentAt: e.at, arriveAt: null } : null;
      } else if (e.type === 'arrive' && open && open.arriveAt === null) open.arriveAt = e.at;
      else if (e.type === 'arrive' && !open && sent && backAt !== null) {
        open = { team: sent, sentAt: backAt, arriveAt: e.at };
        backAt = null;
      } else if (WORK_ENDS.has(e.type)) {
        close(e.at);
        if (e.type === 'report_rectified') backAt = e.at;
        else if (e.type !== 'order_rectification' && e.type !== 'resolve') sent = null;
      } else if (e.type === 'verify_fail') backAt = e.at;
    }
    if (open?.arriveAt != null) close(open.arriveAt + ON_SITE_DEFAULT);
  }
  return byTeam;
}

/**
 * Writes the demo teams' tracks for the DEMO_TRACK_DAYS before `end` and that day until it. Returns
 * how many fixes, for how many teams. Skipped (0) when any fix is already stored before `end`.
 */
export async function generateDemoTracks(
  deps: { store: Store; geo: GeoIndex; logger: Logger },
  opts: { end: number; seed: number; days?: number },
): Promise<{ fixes: number; teams: number }> {
  const { store, geo, logger } = deps;
  const started = performance.now();
  const days = opts.days ?? DEMO_TRACK_DAYS;
  const firstDay = startOfShanghaiDay(opts.end) - days * DAY_MS;
  const db = store.db;
  const already = await db.selectFrom('positions').select('at').where('at', '<', opts.end).limit(1).execute();
  if (already.length) return { fixes: 0, teams: 0 };

  const world = buildWorld({
    townships: geo.layer('townships'),
    first: geo.layer('first'),
    dedicated: geo.layer('dedicated'),
    matters: [],
  });
  const townships = new Map(world.townships.map((t) => [t.code, t]));
  const countySeat = countySeatOf(world);
  if (!countySeat) return { fixes: 0, teams: 0 };

  const teams = await db
    .selectFrom('teams')
    .innerJoin('devices', 'devices.team_id', 'teams.id')
    .select([
      'teams.id as id',
      'teams.kind as kind',
      'teams.owner_code as owner',
      'devices.device_id as device',
    ])
    .orderBy('teams.id')
    .orderBy('devices.device_id')
    .execute();
  const deviceOf = new Map<string, { kind: string; owner: string; device: string }>();
  for (const t of teams) if (!deviceOf.has(t.id)) deviceOf.set(t.id, t);

  // The trail of every case a team was sent to from the first day on (and a little before, for a
  // task running over midnight), in case and sequence order, with the case's spot: one statement.
  const since = firstDay - 6 * HOUR_MS;
  const events = await db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select([
      'e.case_id as case_id',
      'e.type as type',
      'e.at as at',
      'e.payload as payload',
      'c.lng',
      'c.lat',
    ])
    .where(
      'e.case_id',
      'in',
      db.selectFrom('case_events').select('case_id').where('type', '=', 'start').where('at', '>=', since),
    )
    .orderBy('e.case_id')
    .orderBy('e.seq')
    .execute();
  const spots = new Map(events.map((e) => [e.case_id, [Number(e.lng), Number(e.lat)] as LngLat]));
  const visits = visitsFromTrail(trailsOf(events), spots);

  let fixes = 0;
  let rows: PositionsTable[] = [];
  const flush = async () => {
    const batch = rows;
    rows = [];
    if (batch.length) await db.transaction().execute((trx) => insertRows(trx, 'positions', batch));
  };
  for (const [teamId, t] of deviceOf) {
    const township = t.kind === 'township' ? townships.get(t.owner) : undefined;
    const base = township ? seatOf(township) : countySeat;
    const speed = township && !township.urban ? SPEED.rural : SPEED.urban;
    const villages = (township?.villages ?? []).map((v) => v.center);
    const own = visits.get(teamId) ?? [];
    for (let d = 0; d <= days; d++) {
      const day = firstDay + d * DAY_MS;
      const todays = own.filter((v) => v.arriveAt >= day && v.arriveAt < day + DAY_MS);
      // The working day, widened to any task outside it (the team goes out for a night call).
      let from = day + WORK_FROM;
      let to = day + WORK_TO;
      for (const v of todays) {
        from = Math.min(from, v.sentAt - 5 * MIN);
        to = Math.max(to, v.leaveAt + HOUR_MS);
      }
      from = Math.max(day, Math.ceil(from / DEMO_FIX_EVERY_MS) * DEMO_FIX_EVERY_MS);
      to = Math.min(day + DAY_MS, opts.end, to);
      if (to <= from) continue;
      const rand = mulberry(hashString(`${opts.seed}:${teamId}:${d}`));
      const legs = planLegs(base, todays, from, to, speed, villages, rand);
      const cursor = { n: 0 };
      for (let at = from; at < to; at += DEMO_FIX_EVERY_MS) {
        const { p, speed: v, bearing } = positionAt(legs, base, at, cursor);
        rows.push({
          device_id: t.device,
          team_id: teamId,
          at,
          lng: Number(p[0].toFixed(6)),
          lat: Number(p[1].toFixed(6)),
          speed: Number(v.toFixed(1)),
          bearing,
          altitude: null,
          accuracy: 10,
          battery: null,
        });
        fixes++;
        if (rows.length >= 5000) await flush();
      }
    }
  }
  await flush();
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  logger.info(
    { fixes, teams: deviceOf.size, days, seconds },
    `demo tracks: ${fixes} fixes for ${deviceOf.size} teams over ${days} days and today (${seconds} s)`,
  );
  return { fixes, teams: deviceOf.size };
}
