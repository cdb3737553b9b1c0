// Seeded randomness for the pack generator: the same seed always gives the same county.

/** mulberry32: small, fast, good enough for geometry jitter (flatbush's benchmark uses it too). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over a string, so every unit's randomness depends only on its code (and a salt). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const rngFor = (key: string): (() => number) => mulberry32(hashString(key));

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length) % items.length]!;
}

/** Split `total` into `weights.length` integers ≥ `min`, proportional to the weights (largest remainder). */
export function apportion(total: number, weights: readonly number[], min = 1): number[] {
  const n = weights.length;
  if (total < n * min) throw new Error(`cannot split ${total} into ${n} parts of at least ${min}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - n * min;
  const exact = weights.map((w) => (sum > 0 ? (w / sum) * spare : spare / n));
  const parts = exact.map((x) => min + Math.floor(x));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) parts[order[k % n]!.i]!++;
  return parts;
}
