// Who owns a clue ("按照执法权限进行调度"): the township it lies in when the matter is delegated there,
// otherwise the owning county department, with that township's team cooperating (联合执法).
import type { Jurisdiction } from '../../shared/geo';
import type { Matter } from '../../shared/matters';
import { DUPLICATE_RADIUS_M, type PartyInput, type PartyRef, type Route } from '../../shared/cases';

export interface PartyDirectory {
  /** The party with its name, or undefined when no such township/department exists. */
  resolve(p: PartyInput): PartyRef | undefined;
}

export interface RouteInput {
  matter: Matter;
  location: Jurisdiction;
  /** An open case of the same matter within 50 m, when there is one. */
  duplicateOf: string | null;
}

export function routeClue({ matter, location, duplicateOf }: RouteInput, dir: PartyDirectory): Route {
  const township: PartyRef = { kind: 'township', ...location.township };
  let assignee: PartyRef;
  let cooperating: PartyRef[];
  let reason: string;
  if (matter.delegatedTownships.includes(township.code)) {
    assignee = township;
    cooperating = [];
    reason = `事项已赋权${township.name}，由${township.name}主办`;
  } else {
    const dept = dir.resolve({ kind: 'department', code: matter.department });
    // The catalogue was validated against the departments at start, so this cannot miss.
    if (!dept) throw new Error(`matter ${matter.code}: unknown department ${matter.department}`);
    assignee = dept;
    cooperating = [township];
    reason = `未赋权乡镇，由${dept.name}主办，${township.name}配合`;
  }
  const notes: string[] = [];
  if (location.dedicated.length)
    notes.push(`位于专属网格${location.dedicated.map((d) => `「${d.name}」`).join('')}`);
  if (location.nearBoundary) notes.push(boundaryNote(location));
  if (duplicateOf) notes.push(`${DUPLICATE_RADIUS_M} 米内有同类未结案件 ${duplicateOf}，疑似重复`);
  return {
    assignee,
    cooperating,
    reason: [reason, ...notes].join('；'),
    needsReview: location.nearBoundary || duplicateOf !== null,
  };
}

/**
 * Near another township: which one and how far (距石末乡边界约 24 米); a location recorded before
 * the neighbour was (none named) says only that a boundary is near.
 */
export function boundaryNote(location: Pick<Jurisdiction, 'neighbour'>): string {
  const n = location.neighbour;
  return n ? `距${n.township.name}边界约 ${n.meters} 米，请坐席确认归属` : '位于乡镇边界附近，请坐席确认归属';
}

/** Cooperating parties when the command centre names the assignee itself. */
export function cooperatingFor(assignee: PartyRef, location: Jurisdiction): PartyRef[] {
  if (assignee.kind === 'township' && assignee.code === location.township.code) return [];
  return [{ kind: 'township', ...location.township }];
}

/** Metres per degree of latitude. */
const M_PER_DEG_LAT = 111_320;

/** The box of longitudes and latitudes that holds every point within `metres` of (lng, lat). */
export function boxAround(
  lng: number,
  lat: number,
  metres: number,
): { minLng: number; maxLng: number; minLat: number; maxLat: number } {
  const dLat = metres / M_PER_DEG_LAT;
  const dLng = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  return { minLng: lng - dLng, maxLng: lng + dLng, minLat: lat - dLat, maxLat: lat + dLat };
}

/** Great-circle distance in metres (haversine; exact enough at 50 m). */
export function distanceMeters(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}
