// Teams whose markers would lie on one another at the map's scale (the department teams waiting at
// the county seat, a township's teams at its office) are drawn as one marker with their number. A
// pile of arrows covered the busiest case clusters and the townships' names at the county view, and
// no single arrow in it could be read or clicked.

/** A team's marker where the map draws it, in screen pixels. */
export interface PlacedTeam {
  id: string;
  x: number;
  y: number;
}

/**
 * The groups of markers within `radius` px of one another, each of two or more members, seeded
 * from the most crowded marker first (ties by id, so a still map groups the same way each time).
 * A group is its seed and the ungrouped markers within `radius` of it; the rest stay single.
 */
export function groupOverlapping(teams: readonly PlacedTeam[], radius: number): string[][] {
  const cells = new Map<string, PlacedTeam[]>();
  const cellOf = (x: number, y: number) => `${Math.floor(x / radius)},${Math.floor(y / radius)}`;
  for (const t of teams) {
    const key = cellOf(t.x, t.y);
    const list = cells.get(key);
    if (list) list.push(t);
    else cells.set(key, [t]);
  }
  const near = new Map<string, PlacedTeam[]>();
  for (const t of teams) {
    const cx = Math.floor(t.x / radius);
    const cy = Math.floor(t.y / radius);
    const found: PlacedTeam[] = [];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const o of cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (o !== t && Math.hypot(o.x - t.x, o.y - t.y) <= radius) found.push(o);
        }
      }
    }
    near.set(t.id, found);
  }
  const seeds = [...teams].sort(
    (a, b) => near.get(b.id)!.length - near.get(a.id)!.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const grouped = new Set<string>();
  const groups: string[][] = [];
  for (const seed of seeds) {
    if (grouped.has(seed.id)) continue;
    const members = [seed, ...near.get(seed.id)!.filter((o) => !grouped.has(o.id))];
    if (members.length < 2) continue;
    const ids = members.map((m) => m.id).sort();
    for (const id of ids) grouped.add(id);
    groups.push(ids);
  }
  return groups;
}

/** A team's name under its marker, in screen pixels: centred on `x`, its top `y`. */
export interface PlacedName {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Whether any of a name can be seen on a map `width` × `height` pixels: one wholly out of view is
 * left out of `namesThatFit`, where it put away the name of a team beside it at the map's edge.
 */
export function nameInView(n: PlacedName, width: number, height: number): boolean {
  return n.x + n.width / 2 > 0 && n.x - n.width / 2 < width && n.y + n.height > 0 && n.y < height;
}

/**
 * Close in, where teams are named, the names that may show without printing over another: the
 * first in `order` (the team whose card is open, then the busier) keeps its name; a later one whose
 * name would cross one kept goes without (its marker stays, its title names it on hover). The
 * department squads at the county seat printed 自然资源执法大队 over 市场监管执法大队, neither legible.
 */
export function namesThatFit(names: readonly PlacedName[], gap = 2): Set<string> {
  const kept: PlacedName[] = [];
  const shown = new Set<string>();
  for (const n of names) {
    const crosses = kept.some(
      (k) =>
        Math.abs(k.x - n.x) * 2 < k.width + n.width + gap * 2 &&
        n.y < k.y + k.height + gap &&
        k.y < n.y + n.height + gap,
    );
    if (crosses) continue;
    kept.push(n);
    shown.add(n.id);
  }
  return shown;
}

/** A name's width at `px` font size: a Chinese character a full em, a Latin letter or digit about 0.6. */
export function nameWidth(name: string, px: number): number {
  let w = 0;
  for (const ch of name) w += ch.charCodeAt(0) < 0x100 ? px * 0.6 : px;
  return Math.ceil(w);
}
