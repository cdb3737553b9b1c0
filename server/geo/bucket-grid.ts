// A coarse grid of buckets, each listing the items whose box overlaps the cell. Used for the few
// dedicated grids and for township-boundary segments, where most cells are empty.

export class BucketGrid {
  readonly columns: number;
  readonly rows: number;
  private readonly sx: number;
  private readonly sy: number;
  /** bucketStart[cell] .. bucketStart[cell + 1] index into items. */
  private readonly bucketStart: Int32Array;
  readonly items: Int32Array;

  /** `boxes` holds minX, minY, maxX, maxY per item, in degrees. */
  constructor(
    readonly minX: number,
    readonly minY: number,
    maxX: number,
    maxY: number,
    cellX: number,
    cellY: number,
    boxes: Float64Array,
  ) {
    this.sx = 1 / cellX;
    this.sy = 1 / cellY;
    this.columns = Math.max(1, Math.ceil((maxX - minX) * this.sx) + 1);
    this.rows = Math.max(1, Math.ceil((maxY - minY) * this.sy) + 1);
    const n = boxes.length / 4;
    const counts = new Int32Array(this.columns * this.rows + 1);
    const span = (i: number) => {
      const c0 = Math.max(0, Math.floor((boxes[i * 4]! - minX) * this.sx));
      const r0 = Math.max(0, Math.floor((boxes[i * 4 + 1]! - minY) * this.sy));
      const c1 = Math.min(this.columns - 1, Math.floor((boxes[i * 4 + 2]! - minX) * this.sx));
      const r1 = Math.min(this.rows - 1, Math.floor((boxes[i * 4 + 3]! - minY) * this.sy));
      return [c0, r0, c1, r1] as const;
    };
    for (let i = 0; i < n; i++) {
      const [c0, r0, c1, r1] = span(i);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) counts[r * this.columns + c + 1]!++;
    }
    for (let k = 1; k < counts.length; k++) counts[k]! += counts[k - 1]!;
    this.bucketStart = counts;
    this.items = new Int32Array(counts[counts.length - 1]!);
    const cursor = counts.slice(0, -1);
    for (let i = 0; i < n; i++) {
      const [c0, r0, c1, r1] = span(i);
      for (let r = r0; r <= r1; r++)
        for (let c = c0; c <= c1; c++) this.items[cursor[r * this.columns + c]!++] = i;
    }
  }

  /** The cell holding the point, or -1 outside the grid. */
  cellOf(x: number, y: number): number {
    const gx = (x - this.minX) * this.sx,
      gy = (y - this.minY) * this.sy;
    if (!(gx >= 0 && gy >= 0 && gx < this.columns && gy < this.rows)) return -1;
    return (gy | 0) * this.columns + (gx | 0);
  }

  start(cell: number): number {
    return this.bucketStart[cell]!;
  }

  end(cell: number): number {
    return this.bucketStart[cell + 1]!;
  }
}
