// Coordinates as a caller or a work order gives them, typed into 查找地点: two decimal degrees in
// either order ("112.9128, 35.8123", "35.8123 112.9128", "东经112.9128 北纬35.8123", full-width
// commas too). China lies within longitudes 73–136 and latitudes 3–54, so the order is never in
// doubt there. They are taken as the map's own coordinates (CGCS2000 / WGS 84, as 天地图 gives them).
const LNG = [73, 136] as const;
const LAT = [3, 54] as const;
const within = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;

export function parseLngLat(text: string): [number, number] | null {
  const rest = text
    .normalize('NFKC')
    .replace(/东经|北纬|经度|纬度|lng|lon|lat|[EN°:：,，;；\s]/gi, ' ')
    .trim();
  const m = /^(\d{1,3}(?:\.\d+)?)\s+(\d{1,3}(?:\.\d+)?)$/.exec(rest);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (within(a, LNG) && within(b, LAT)) return [a, b];
  if (within(a, LAT) && within(b, LNG)) return [b, a];
  return null;
}
