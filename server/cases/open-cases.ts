// The open cases of one SQLite database in memory, by matter and place, for intake's duplicate check
// (an open case of the same matter within 50 m). On SQLite the database belongs to one server
// process and every case in it is created and closed by a CaseService of that process, so a map
// those services keep is complete. The query it replaces ran on every clue, and after each of the
// writer thread's commits SQLite drops the main connection's page cache, so it read its pages from
// scratch: ~0.1 ms of the main thread per clue, a fifth of it at 1,000 clues/s. PostgreSQL (several
// processes may write) keeps the query.
//
// Loaded from the database on the first lookup, so it also holds what was stored before this
// process started (or by the demo history's own engine). Changes made while it loads are replayed
// on top of what it read, in order: adding and removing are idempotent, so a case the load saw
// already comes out the same.
import { FINAL_STATES, type CaseState } from '../../shared/workflow';
import type { Store } from '../store/db';
import { boxAround, distanceMeters } from './routing';

interface OpenCase {
  id: string;
  matter: string;
  lng: number;
  lat: number;
  cell: number;
}

/** Cells of 0.001° × 0.001° (about 111 m × 88 m in the county): a 50 m search looks at 3 × 3. */
const CELL_DEG = 0.001;
const cellOf = (ix: number, iy: number) => ix * 1_000_000 + iy; // |iy| ≤ 90,000
const column = (deg: number) => Math.floor(deg / CELL_DEG);

const openCase = (id: string, matter: string, lng: number, lat: number): OpenCase => ({
  id,
  matter,
  lng,
  lat,
  cell: cellOf(column(lng), column(lat)),
});

type Change = { add: OpenCase } | { remove: string };

export class OpenCaseIndex {
  private readonly byId = new Map<string, OpenCase>();
  /** matter → cell → cases. */
  private readonly cells = new Map<string, Map<number, OpenCase[]>>();
  private loading: Promise<void> | null = null;
  private loaded = false;
  /** Changes seen while the load runs. */
  private replay: Change[] | null = null;
  /** Bumped by invalidate(): a load that started before is thrown away. */
  private generation = 0;

  constructor(private readonly store: Store) {}

  /** A case is stored and open. */
  add(id: string, matter: string, lng: number, lat: number): void {
    const c = openCase(id, matter, lng, lat);
    if (this.replay) this.replay.push({ add: c });
    else if (this.loaded) this.put(c);
    // Not loaded yet: the load will read it from the database.
  }

  /** A case reached a final state. */
  remove(id: string): void {
    if (this.replay) this.replay.push({ remove: id });
    else if (this.loaded) this.drop(id);
  }

  /**
   * Forget everything and read the database again on the next lookup: for when a write may have
   * been committed without this process knowing (a writer thread that died after its commit).
   */
  invalidate(): void {
    this.generation++;
    this.loaded = false;
    this.loading = null;
    this.replay = null;
    this.byId.clear();
    this.cells.clear();
  }

  /**
   * The nearest open case of `matter` within `radiusM` metres, if any; of cases equally near, the
   * first reported (the smallest id: ids are time-ordered), whatever order they were loaded in.
   */
  async nearest(matter: string, lng: number, lat: number, radiusM: number): Promise<string | null> {
    while (!this.loaded) await this.load();
    const byCell = this.cells.get(matter);
    if (!byCell) return null;
    const box = boxAround(lng, lat, radiusM);
    let best: string | null = null;
    let bestD = Infinity;
    for (let ix = column(box.minLng); ix <= column(box.maxLng); ix++)
      for (let iy = column(box.minLat); iy <= column(box.maxLat); iy++) {
        const list = byCell.get(cellOf(ix, iy));
        if (!list) continue;
        for (const c of list) {
          const d = distanceMeters(lng, lat, c.lng, c.lat);
          if (d <= radiusM && (d < bestD || (d === bestD && best !== null && c.id < best))) {
            best = c.id;
            bestD = d;
          }
        }
      }
    return best;
  }

  /** Open cases held (tests). */
  get size(): number {
    return this.byId.size;
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      const generation = this.generation;
      const replay: Change[] = [];
      this.replay = replay;
      try {
        const rows = await this.store.db
          .selectFrom('cases')
          .select(['id', 'matter_code', 'lng', 'lat'])
          .where('status', 'not in', FINAL_STATES as CaseState[])
          .execute();
        if (generation !== this.generation) return; // invalidated meanwhile: the caller loads again
        for (const r of rows) this.put(openCase(r.id, r.matter_code, Number(r.lng), Number(r.lat)));
        for (const ch of replay) {
          if ('add' in ch) this.put(ch.add);
          else this.drop(ch.remove);
        }
        this.loaded = true;
      } catch (err) {
        if (generation === this.generation) this.invalidate(); // the next lookup tries again
        throw err;
      } finally {
        if (this.replay === replay) this.replay = null;
      }
    })();
    return this.loading;
  }

  private put(c: OpenCase): void {
    if (this.byId.has(c.id)) return;
    this.byId.set(c.id, c);
    let byCell = this.cells.get(c.matter);
    if (!byCell) this.cells.set(c.matter, (byCell = new Map()));
    const list = byCell.get(c.cell);
    if (list) list.push(c);
    else byCell.set(c.cell, [c]);
  }

  private drop(id: string): void {
    const c = this.byId.get(id);
    if (!c) return;
    this.byId.delete(id);
    const byCell = this.cells.get(c.matter)!;
    const list = byCell.get(c.cell)!;
    list.splice(list.indexOf(c), 1);
    if (!list.length) byCell.delete(c.cell);
  }
}

const indexes = new WeakMap<Store, OpenCaseIndex>();

/** The index of a SQLite store, shared by every CaseService on it; none on PostgreSQL. */
export function openCaseIndexOf(store: Store): OpenCaseIndex | undefined {
  if (store.engine !== 'sqlite') return undefined;
  let index = indexes.get(store);
  if (!index) indexes.set(store, (index = new OpenCaseIndex(store)));
  return index;
}
