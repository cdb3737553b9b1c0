// The simulated teams on the road. A team is on the map where its tracker is, so each team moves
// as one: a township team waits at its seat, now and then rides a patrol round through a village
// or two and back, and answers its tasks one after another, coming back when the work is done; a
// department squad drives out from the county seat. Routes pass through a village or community on
// the way, as roads do. Pure apart from the arrival callbacks: tick() moves everyone and returns
// the fixes, which the caller sends through the device endpoints.
import { distanceMeters, fixOf, step, type Fix, type LngLat, type MoverState } from './movement';
import { between, pick, type Place, type Rand, type TownshipModel } from '../demo/world';

export type DeviceProtocol = 'positions' | 'osmand';

export interface Task {
  caseId: string;
  target: LngLat;
  /** Called once, when the team reaches the site. */
  onArrive: () => void;
}

export interface Vehicle {
  teamId: string;
  deviceId: string;
  protocol: DeviceProtocol;
  township: TownshipModel | null;
  base: LngLat;
  mover: MoverState;
  /** Waypoints still ahead, the last being the destination. */
  route: LngLat[];
  task: Task | null;
  queue: Task[];
  /** When an idle team next rides a patrol round (township teams only); epoch ms. */
  nextPatrolAt: number;
}

/** A fix as a device reports it. */
export interface DeviceFix extends Fix {
  at: number;
}

/**
 * How many tasks may wait behind a team's current one. A case started beyond that is worked by people
 * without a tracker (派出队伍 names no team): unbounded, a busy township's queue grew by the demo's
 * clues faster than a car could drive to them, and every arrival came hours late.
 */
export const MAX_QUEUED_TASKS = 2;
const MIN = 60_000;

export class Fleet {
  readonly vehicles: Vehicle[] = [];
  private readonly byTeam = new Map<string, Vehicle>();

  constructor(private readonly rand: Rand) {}

  /** `firstPatrolAt`: when the team first rides out on patrol (default: in 3–12 minutes). */
  add(
    v: Pick<Vehicle, 'teamId' | 'deviceId' | 'protocol' | 'township' | 'base'>,
    cruise: number,
    now: number,
    firstPatrolAt?: number,
  ): Vehicle {
    const vehicle: Vehicle = {
      ...v,
      mover: { position: v.base, target: v.base, mode: 'patrol', speed: cruise, bearing: 0, caseId: null },
      route: [],
      task: null,
      queue: [],
      nextPatrolAt: firstPatrolAt ?? now + between(this.rand, 3, 12) * MIN,
    };
    this.vehicles.push(vehicle);
    this.byTeam.set(v.teamId, vehicle);
    return vehicle;
  }

  has(teamId: string): boolean {
    return this.byTeam.has(teamId);
  }

  /** Take a team off the road (retired on the server): it reports no more fixes. */
  remove(teamId: string): void {
    const v = this.byTeam.get(teamId);
    if (!v) return;
    this.byTeam.delete(teamId);
    this.vehicles.splice(this.vehicles.indexOf(v), 1);
  }

  /** Whether the team can take one more task: its current one and MAX_QUEUED_TASKS waiting at most. */
  canTake(teamId: string): boolean {
    const v = this.byTeam.get(teamId);
    return !!v && (v.task ? 1 : 0) + v.queue.length <= MAX_QUEUED_TASKS;
  }

  /**
   * Send the team to a site, now or after the tasks ahead of it (its arrival is only ever reported
   * from the site, so a busy team is late, never elsewhere); false for a team not here. `next`: ahead
   * of those waiting, right after the task at hand (a return visit after 整改完成 / 返工, which the
   * screen shows as the team's task from that moment).
   */
  assign(teamId: string, task: Task, opts: { next?: boolean } = {}): boolean {
    const v = this.byTeam.get(teamId);
    if (!v) return false;
    if (v.task?.caseId === task.caseId || v.queue.some((t) => t.caseId === task.caseId)) return true;
    if (!v.task) this.go(v, task);
    else if (opts.next) v.queue.unshift(task);
    else v.queue.push(task);
    return true;
  }

  /** The work at a site is done (or the case left the team): on to the next task, or back to base. */
  release(teamId: string, caseId: string, now: number): void {
    const v = this.byTeam.get(teamId);
    if (!v) return;
    v.queue = v.queue.filter((t) => t.caseId !== caseId);
    if (v.task?.caseId !== caseId) return;
    v.task = null;
    const next = v.queue.shift();
    if (next) return this.go(v, next);
    v.mover = { ...v.mover, mode: 'returning', caseId: null };
    v.route = this.routeTo(v, v.base);
    v.nextPatrolAt = Math.max(v.nextPatrolAt, now + between(this.rand, 3, 12) * MIN);
  }

  /**
   * The team is already at a site when the simulator starts (the server says it arrived there: a
   * case the history or an earlier run left in progress): it stands there, on site, until released,
   * rather than starting at its seat or riding a patrol while the screen shows it 现场处置. False for
   * a team not here or already busy.
   */
  placeOnSite(teamId: string, task: Task): boolean {
    const v = this.byTeam.get(teamId);
    if (!v || v.task || v.queue.length) return false;
    v.task = task;
    v.route = [];
    v.mover = {
      ...v.mover,
      position: task.target,
      target: task.target,
      mode: 'on_site',
      caseId: task.caseId,
    };
    return true;
  }

  /** Whether the team is standing at this case's site. */
  onSiteAt(teamId: string, caseId: string): boolean {
    const v = this.byTeam.get(teamId);
    return !!v && v.task?.caseId === caseId && v.mover.mode === 'on_site';
  }

  private go(v: Vehicle, task: Task): void {
    v.task = task;
    v.mover = { ...v.mover, mode: 'to_task', caseId: task.caseId };
    v.route = this.routeTo(v, task.target);
  }

  /** Advance everyone `dt` seconds to `now`; returns each team's fix. Arrival callbacks run last. */
  tick(dt: number, now: number): Array<{ vehicle: Vehicle; fix: DeviceFix; moving: boolean }> {
    const out: Array<{ vehicle: Vehicle; fix: DeviceFix; moving: boolean }> = [];
    const arrivals: Array<() => void> = [];
    for (const v of this.vehicles) {
      const idle = !v.task && !v.route.length;
      if (idle && v.township && now >= v.nextPatrolAt) {
        // A patrol round: one or two villages, then back to the seat.
        const stops = v.township.villages.length ? [pick(v.township.villages, this.rand)] : [];
        if (stops.length && this.rand() < 0.5) stops.push(pick(v.township.villages, this.rand));
        v.route = [...stops.map((p: Place) => p.center), v.base];
        v.mover = { ...v.mover, mode: 'patrol' };
        v.nextPatrolAt = Infinity;
      }
      const waypoint = v.route[0];
      if (!waypoint || v.mover.mode === 'on_site') {
        out.push({ vehicle: v, fix: { ...fixOf(v.mover, false), at: now }, moving: false });
        continue;
      }
      const { state, arrived } = step({ ...v.mover, target: waypoint }, dt, this.rand);
      v.mover = state;
      if (arrived) v.route.shift();
      if (!v.route.length) {
        if (v.mover.mode === 'to_task' && v.task) {
          v.mover = { ...v.mover, mode: 'on_site' };
          arrivals.push(v.task.onArrive);
        } else {
          v.mover = { ...v.mover, mode: 'patrol' };
          if (v.nextPatrolAt === Infinity) v.nextPatrolAt = now + between(this.rand, 3, 12) * MIN;
        }
      }
      out.push({ vehicle: v, fix: { ...fixOf(v.mover, true), at: now }, moving: true });
    }
    for (const a of arrivals) a();
    return out;
  }

  /** Through the village nearest the halfway point, when that is not much of a detour. */
  private routeTo(v: Vehicle, to: LngLat): LngLat[] {
    const from = v.mover.position;
    const direct = distanceMeters(from, to);
    const places = v.township?.villages ?? [];
    if (direct < 500 || !places.length) return [to];
    const mid: LngLat = [(from[0] + to[0]) / 2, (from[1] + to[1]) / 2];
    let via: Place | undefined;
    let best = Infinity;
    for (const p of places) {
      const d = distanceMeters(mid, p.center);
      if (d < best) {
        best = d;
        via = p;
      }
    }
    if (!via) return [to];
    const detour = distanceMeters(from, via.center) + distanceMeters(via.center, to);
    return detour < direct * 1.35 ? [via.center, to] : [to];
  }
}

/**
 * Where a department squad is based: the seat of the county's town, its first 街道 (the demo's and
 * the simulator's teams alike); null for a county without townships.
 */
export function countySeatOf(world: { townships: readonly TownshipModel[] }): LngLat | null {
  const city = world.townships.find((t) => t.urban) ?? world.townships[0];
  return city ? seatOf(city) : null;
}

/** The township seat: the village or community nearest the middle of the township. */
export function seatOf(t: TownshipModel): LngLat {
  const [minX, minY, maxX, maxY] = t.area.bbox;
  const mid: LngLat = [(minX + maxX) / 2, (minY + maxY) / 2];
  let best: LngLat = t.villages[0]?.center ?? mid;
  let bestD = Infinity;
  for (const v of t.villages) {
    const d = distanceMeters(mid, v.center);
    if (d < bestD) {
      bestD = d;
      best = v.center;
    }
  }
  return best;
}
