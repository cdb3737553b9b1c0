// Point → polygon for a layer that tiles an area (the micro-grids), in about a microsecond.
// A uniform cell grid over the layer: a cell no polygon edge passes through lies wholly inside one
// polygon and answers with one array read; only cells crossed by edges test their few candidates.
// The point-in-polygon test itself is shared/polygons.ts's (the big screen uses it too).
import { flattenPolygons, pointInFeature, type FlatPolygons } from '../../shared/polygons';

export { flattenPolygons, pointInFeature, type FlatPolygons };

export interface CellIndexStats {
  columns: number;
  rows: number;
  cellMeters: number;
  /** Cells crossed by at least one edge (answered by point-in-polygon tests). */
  edgeCells: number;
  /** Cells wholly inside one polygon (answered by one array read). */
  interiorCells: number;
  candidates: number;
  bytes: number;
}

const EPS = 1e-9;

export class CellIndex {
  readonly minX: number;
  readonly minY: number;
  readonly columns: number;
  readonly rows: number;
  private readonly sx: number;
  private readonly sy: number;
  /**
   * Per cell, with the two low bits free for flags (see flagBoxes):
   * -1: no polygon; v ≥ 0: polygon v >> 2 covers the whole cell; v ≤ -2: edge cell whose
   * candidate list is (-2 - v) >> 2.
   */
  private readonly cells: Int32Array;
  private readonly listStart: Int32Array;
  private readonly candidates: Int32Array;
  readonly stats: CellIndexStats;

  constructor(
    readonly polygons: FlatPolygons,
    cellMeters = 40,
  ) {
    const n = polygons.featureRingStart.length - 1;
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (let f = 0; f < n; f++) {
      x0 = Math.min(x0, polygons.bbox[f * 4]!);
      y0 = Math.min(y0, polygons.bbox[f * 4 + 1]!);
      x1 = Math.max(x1, polygons.bbox[f * 4 + 2]!);
      y1 = Math.max(y1, polygons.bbox[f * 4 + 3]!);
    }
    if (n === 0) x0 = y0 = x1 = y1 = 0;
    const midLat = (y0 + y1) / 2;
    const cellX = cellMeters / (111_320 * Math.cos((midLat * Math.PI) / 180));
    const cellY = cellMeters / 110_574;
    this.columns = Math.max(1, Math.ceil((x1 - x0) / cellX) + 1);
    this.rows = Math.max(1, Math.ceil((y1 - y0) / cellY) + 1);
    this.minX = x0;
    this.minY = y0;
    this.sx = 1 / cellX;
    this.sy = 1 / cellY;

    const { columns, rows } = this;
    const cells = new Int32Array(columns * rows);
    // Pass 1: every (cell, polygon) pair where an edge of the polygon touches the cell.
    const stamp = cells; // reused: holds polygon + 1 of the last visitor while edges are walked
    // Sized for ~2 cells per edge at this resolution, so it rarely has to grow.
    const edges = polygons.coords.length / 2 - (polygons.ringStart.length - 1);
    let pairs = new Int32Array(Math.max(1 << 16, edges * 5));
    let pairCount = 0;
    const c = polygons.coords;
    for (let f = 0; f < n; f++) {
      const tag = f + 1;
      for (let r = polygons.featureRingStart[f]!, rEnd = polygons.featureRingStart[f + 1]!; r < rEnd; r++) {
        const end = polygons.ringStart[r + 1]! * 2;
        for (let i = polygons.ringStart[r]! * 2; i < end - 2; i += 2) {
          const ax = (c[i]! - x0) * this.sx,
            ay = (c[i + 1]! - y0) * this.sy,
            bx = (c[i + 2]! - x0) * this.sx,
            by = (c[i + 3]! - y0) * this.sy;
          const yLo = Math.min(ay, by),
            yHi = Math.max(ay, by);
          const rowA = Math.max(0, Math.floor(yLo - EPS)),
            rowB = Math.min(rows - 1, Math.floor(yHi + EPS));
          for (let row = rowA; row <= rowB; row++) {
            // The part of the segment inside this row's band, as an x range.
            let xa: number, xb: number;
            if (by === ay) {
              xa = Math.min(ax, bx);
              xb = Math.max(ax, bx);
            } else {
              const t0 = (Math.max(yLo, row) - ay) / (by - ay),
                t1 = (Math.min(yHi, row + 1) - ay) / (by - ay);
              const p = ax + (bx - ax) * t0,
                q = ax + (bx - ax) * t1;
              xa = Math.min(p, q);
              xb = Math.max(p, q);
            }
            const colA = Math.max(0, Math.floor(xa - EPS)),
              colB = Math.min(columns - 1, Math.floor(xb + EPS));
            const base = row * columns;
            for (let col = colA; col <= colB; col++) {
              const cell = base + col;
              if (stamp[cell] === tag) continue;
              stamp[cell] = tag;
              if (pairCount * 2 + 2 > pairs.length) {
                const bigger = new Int32Array(pairs.length * 2);
                bigger.set(pairs);
                pairs = bigger;
              }
              pairs[pairCount * 2] = cell;
              pairs[pairCount * 2 + 1] = f;
              pairCount++;
            }
          }
        }
      }
    }
    // Pass 2: group the pairs by cell (counting sort; polygons stay in ascending order per cell).
    cells.fill(0);
    for (let k = 0; k < pairCount; k++) cells[pairs[k * 2]!]!++;
    // One sweep over the cells numbers the edge cells; lists ≤ pairs bounds the table.
    const listStartAll = new Int32Array(pairCount + 1);
    let offset = 0,
      lists = 0;
    for (let i = 0; i < cells.length; i++) {
      const count = cells[i]!;
      if (count > 0) {
        listStartAll[lists] = offset;
        offset += count;
        cells[i] = -2 - (lists << 2);
        lists++;
      } else cells[i] = -1;
    }
    const listStart = listStartAll.slice(0, lists + 1);
    const candidates = new Int32Array(pairCount);
    listStart[lists] = offset;
    const cursor = listStart.slice(0, lists);
    for (let k = 0; k < pairCount; k++) {
      const l = (-2 - cells[pairs[k * 2]!]!) >> 2;
      candidates[cursor[l]!++] = pairs[k * 2 + 1]!;
    }
    // Pass 3: cells untouched by edges take the polygon containing their centre (scanline fill).
    let interior = 0;
    // Crossings packed as row * stride + x so a native typed-array sort orders them by row, then x.
    const stride = columns + 2;
    let keys = new Float64Array(256);
    for (let f = 0; f < n; f++) {
      let count = 0;
      for (let r = polygons.featureRingStart[f]!, rEnd = polygons.featureRingStart[f + 1]!; r < rEnd; r++) {
        const end = polygons.ringStart[r + 1]! * 2;
        for (let i = polygons.ringStart[r]! * 2; i < end - 2; i += 2) {
          const ax = (c[i]! - x0) * this.sx,
            ay = (c[i + 1]! - y0) * this.sy,
            bx = (c[i + 2]! - x0) * this.sx,
            by = (c[i + 3]! - y0) * this.sy;
          const rowA = Math.max(0, Math.ceil(Math.min(ay, by) - 0.5)),
            rowB = Math.min(rows - 1, Math.floor(Math.max(ay, by) - 0.5));
          for (let row = rowA; row <= rowB; row++) {
            const yc = row + 0.5;
            if (ay > yc === by > yc) continue;
            if (count === keys.length) {
              const bigger = new Float64Array(keys.length * 2);
              bigger.set(keys);
              keys = bigger;
            }
            keys[count++] = row * stride + 1 + ax + ((bx - ax) * (yc - ay)) / (by - ay);
          }
        }
      }
      const sorted = keys.subarray(0, count).sort();
      for (let k = 0; k + 1 < count; k += 2) {
        const rowA = Math.floor(sorted[k]! / stride),
          rowB = Math.floor(sorted[k + 1]! / stride);
        if (rowA !== rowB) {
          k--; // unpaired crossing (degenerate ring): resynchronise on the next row
          continue;
        }
        const xa = sorted[k]! - rowA * stride - 1,
          xb = sorted[k + 1]! - rowA * stride - 1;
        const base = rowA * columns;
        const colA = Math.max(0, Math.ceil(xa - 0.5)),
          colB = Math.min(columns - 1, Math.ceil(xb - 0.5) - 1);
        for (let col = colA; col <= colB; col++) {
          if (cells[base + col] === -1) {
            cells[base + col] = f << 2;
            interior++;
          }
        }
      }
    }
    this.cells = cells;
    this.listStart = listStart;
    this.candidates = candidates;
    this.stats = {
      columns,
      rows,
      cellMeters,
      edgeCells: lists,
      interiorCells: interior,
      candidates: pairCount,
      bytes: cells.byteLength + listStart.byteLength + candidates.byteLength + polygons.coords.byteLength,
    };
  }

  /**
   * Set `bit` (1 or 2) on every covered cell overlapping any of the boxes (minX, minY, maxX, maxY
   * in degrees), so a lookup learns "maybe near something" from the read it does anyway.
   */
  flagBoxes(boxes: Float64Array, bit: 1 | 2): void {
    const { columns, rows, cells } = this;
    for (let b = 0; b < boxes.length; b += 4) {
      const c0 = Math.max(0, Math.floor((boxes[b]! - this.minX) * this.sx));
      const r0 = Math.max(0, Math.floor((boxes[b + 1]! - this.minY) * this.sy));
      const c1 = Math.min(columns - 1, Math.floor((boxes[b + 2]! - this.minX) * this.sx));
      const r1 = Math.min(rows - 1, Math.floor((boxes[b + 3]! - this.minY) * this.sy));
      for (let r = r0; r <= r1; r++)
        for (let c = c0; c <= c1; c++) {
          const v = cells[r * columns + c]!;
          if (v >= 0) cells[r * columns + c] = v | bit;
          else if (v <= -2) cells[r * columns + c] = -2 - ((-2 - v) | bit);
        }
    }
  }

  /** The polygon containing the point, or -1. */
  locate(x: number, y: number): number {
    const v = this.locateFlagged(x, y);
    return v < 0 ? -1 : v >> 2;
  }

  /** polygon << 2 | the cell's flags, or -1 when no polygon contains the point. */
  locateFlagged(x: number, y: number): number {
    const gx = (x - this.minX) * this.sx,
      gy = (y - this.minY) * this.sy;
    // Written so NaN falls through to "outside" too.
    if (!(gx >= 0 && gy >= 0 && gx < this.columns && gy < this.rows)) return -1;
    const v = this.cells[(gy | 0) * this.columns + (gx | 0)]!;
    if (v >= -1) return v;
    const w = -2 - v;
    const list = w >> 2;
    for (let k = this.listStart[list]!, end = this.listStart[list + 1]!; k < end; k++) {
      const f = this.candidates[k]!;
      if (pointInFeature(this.polygons, f, x, y)) return (f << 2) | (w & 3);
    }
    return -1;
  }
}
