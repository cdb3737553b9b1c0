// Coordinates as a caller or a work order gives them, typed into 查找地点: two decimal degrees in
// either order ("112.9128, 35.8123", "35.8123 112.9128", "东经112.9128 北纬35.8123", full-width
// commas too). China lies within longitudes 73–136 and latitudes 3–54, so the order is never in
// doubt there. They are taken as the map's own coordinates (CGCS2000 / WGS 84, as 天地图 gives them).
const LNG = [73, 136] as const;
const LAT = [3, 54] as const;
const within = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;

export function parseLngLat(text: string): [number, number] | null {
  const t = text.normalize('NFKC');
  // Degrees, minutes and seconds (112°54′41″) are not taken: their minutes would read as a latitude.
  if (/°\s*\d/.test(t)) return null;
  const rest = t
    .replace(/经纬度|东经|北纬|经度|纬度|坐标|位置|度|lng|lon|lat/gi, ' ')
    .replace(/[EN°:;,()[\]、/\s]/gi, ' ')
    .trim();
  // Decimal degrees only: two bare integers are more likely the start of a phone number.
  const m = /^(\d{1,3}\.\d+)\s+(\d{1,3}\.\d+)$/.exec(rest);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (within(a, LNG) && within(b, LAT)) return [a, b];
  if (within(a, LAT) && within(b, LNG)) return [b, a];
  return null;
}

/**
 * Where coordinates come from: the map's own datum (天地图, a GPS: CGCS2000 / WGS 84), the
 * GCJ-02 that Chinese map apps must use (高德, 腾讯, a location shared in 微信), or Baidu's BD-09
 * (百度地图). The last two are offset from the ground by some 300–700 m in this part of China:
 * taken as they are, a clue would land in the wrong grid, or the wrong township.
 */
export const DATUMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type Datum = (typeof DATUMS)[number];

// GCJ-02 as published (the Krasovsky ellipsoid and the offset polynomials every converter uses).
const A = 6378245.0;
const EE = 0.006693421622965943;
const X_PI = (Math.PI * 3000) / 180;

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function offsetLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** WGS 84 → GCJ-02 (what a Chinese map app shows for a point on the ground). */
export function wgs84ToGcj02(lng: number, lat: number): [number, number] {
  const radLat = (lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLat(lng - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (offsetLng(lng - 105, lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

/** GCJ-02 → WGS 84, by iteration (the forward offset is smooth: a few steps reach a millimetre). */
export function gcj02ToWgs84(lng: number, lat: number): [number, number] {
  let w: [number, number] = [lng, lat];
  for (let i = 0; i < 10; i++) {
    const g = wgs84ToGcj02(w[0], w[1]);
    const dLng = g[0] - lng;
    const dLat = g[1] - lat;
    w = [w[0] - dLng, w[1] - dLat];
    if (Math.abs(dLng) < 1e-9 && Math.abs(dLat) < 1e-9) break;
  }
  return w;
}

/** BD-09 → GCJ-02 (Baidu's further offset, undone). */
export function bd09ToGcj02(lng: number, lat: number): [number, number] {
  const x = lng - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return [z * Math.cos(theta), z * Math.sin(theta)];
}

/** Coordinates read in `datum`, as the map's own (6 decimals: about 10 cm). */
export function toMapDatum(lng: number, lat: number, datum: Datum): [number, number] {
  const w =
    datum === 'wgs84'
      ? [lng, lat]
      : datum === 'gcj02'
        ? gcj02ToWgs84(lng, lat)
        : gcj02ToWgs84(...bd09ToGcj02(lng, lat));
  return [Number(w[0]!.toFixed(6)), Number(w[1]!.toFixed(6))];
}
