// Where else a case may go, for the dispatch panel: the likely alternatives to the suggestion, one
// click each (row → alternative → confirm: three clicks from the queue), and everyone else in one
// list in a fixed order. The likely ones are what an operator overriding the routing usually
// means: the case's own township when the routing named a department; the department owning the
// matter when it named a township; the townships whose boundary is nearest the case (a case near a
// boundary, or one a township sent back as not its own, is most often its neighbour's).
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { compareCodes } from '@shared/codes';
import type { PartyRef } from '../case-model';

export interface Alternative {
  party: PartyRef;
  /** Why it is offered: the case's township, the matter's department, a township nearby. */
  why: 'location' | 'department' | 'nearby';
  /** Nearby townships: metres from the case to the township's boundary. */
  meters?: number;
}

type Ref = { kind: string; code: string };
const same = (a: Ref, b: Ref): boolean => a.kind === b.kind && a.code === b.code;

/** Metres per degree of latitude (as the server's routing has it). */
const M_PER_DEG = 111_320;

/**
 * Metres from `at` to the nearest edge of a Polygon or MultiPolygon (0 on it). Planar around the
 * point (degrees of longitude scaled by its latitude): at a county's scale the error is far below
 * the tens of metres the panel rounds to.
 */
export function metersToBoundary(at: [number, number], g: Polygon | MultiPolygon): number {
  const kx = M_PER_DEG * Math.cos((at[1] * Math.PI) / 180);
  const ky = M_PER_DEG;
  let best = Infinity;
  const rings: Position[][] = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  for (const ring of rings)
    for (let i = 1; i < ring.length; i++) {
      const ax = (ring[i - 1]![0]! - at[0]) * kx;
      const ay = (ring[i - 1]![1]! - at[1]) * ky;
      const bx = (ring[i]![0]! - at[0]) * kx;
      const by = (ring[i]![1]! - at[1]) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const len = dx * dx + dy * dy;
      const s = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
      const d = Math.hypot(ax + s * dx, ay + s * dy);
      if (d < best) best = d;
    }
  return best;
}

/**
 * The likely alternatives, at most `nearby` townships among them, none of `exclude` (the unit the
 * confirm button sends it to, the one that has it, the one that sent it back). `townships` are the
 * townships layer's features (properties code, name).
 */
export function likelyAlternatives(opts: {
  at: [number, number];
  townships: readonly Feature[];
  /** The township the case lies in. */
  location: { code: string; name: string } | null;
  /** The department owning the matter (the catalogue's), when known. */
  department: PartyRef | null;
  exclude: ReadonlyArray<Ref | null | undefined>;
  nearby?: number;
}): Alternative[] {
  const excluded = (p: Ref) => opts.exclude.some((x) => !!x && same(x, p));
  const out: Alternative[] = [];
  const location: PartyRef | null = opts.location ? { kind: 'township', ...opts.location } : null;
  if (location && !excluded(location)) out.push({ party: location, why: 'location' });
  if (opts.department && !excluded(opts.department)) out.push({ party: opts.department, why: 'department' });
  const near: Alternative[] = [];
  for (const f of opts.townships) {
    const g = f.geometry;
    const code = String(f.properties?.code ?? '');
    if (!code || (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon')) continue;
    const party: PartyRef = { kind: 'township', code, name: String(f.properties?.name ?? code) };
    if (excluded(party) || (location && same(party, location))) continue;
    near.push({ party, why: 'nearby', meters: metersToBoundary(opts.at, g) });
  }
  near.sort((a, b) => a.meters! - b.meters! || compareCodes(a.party.code, b.party.code));
  return [...out, ...near.slice(0, opts.nearby ?? 2)];
}

let collator: Intl.Collator | null = null;

/**
 * Everyone a case can go to, in the order the full list shows them: the townships by code (the
 * county's own order, as every list of townships on the screen), then the departments by name
 * (in Chinese order; the collator is made when the list is first wanted, not while the screen
 * starts).
 */
export function sortParties(parties: readonly PartyRef[]): {
  townships: PartyRef[];
  departments: PartyRef[];
} {
  collator ??= new Intl.Collator('zh-CN');
  const c = collator;
  return {
    townships: parties.filter((p) => p.kind === 'township').sort((a, b) => compareCodes(a.code, b.code)),
    departments: parties.filter((p) => p.kind === 'department').sort((a, b) => c.compare(a.name, b.name)),
  };
}
