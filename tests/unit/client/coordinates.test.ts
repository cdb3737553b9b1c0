// 查找地点 takes coordinates as a caller or a 12345 work order gives them.
import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02,
  gcj02ToWgs84,
  parseLngLat,
  toMapDatum,
  wgs84ToGcj02,
} from '../../../client/src/lib/coordinates';

describe('parseLngLat', () => {
  it('reads two decimal degrees in either order, with the usual words and separators', () => {
    expect(parseLngLat('112.912888, 35.812379')).toEqual([112.912888, 35.812379]);
    expect(parseLngLat('35.812379 112.912888')).toEqual([112.912888, 35.812379]);
    expect(parseLngLat('东经112.9128，北纬35.8123')).toEqual([112.9128, 35.8123]);
    expect(parseLngLat('E112.9128 N35.8123')).toEqual([112.9128, 35.8123]);
    expect(parseLngLat('１１２.９１，３５.８１')).toEqual([112.91, 35.81]); // full-width
    expect(parseLngLat('lng: 112.91; lat: 35.81')).toEqual([112.91, 35.81]);
    expect(parseLngLat('经纬度：112.91,35.81')).toEqual([112.91, 35.81]);
    expect(parseLngLat('坐标（112.91、35.81）')).toEqual([112.91, 35.81]);
    expect(parseLngLat('[112.91, 35.81]')).toEqual([112.91, 35.81]);
    expect(parseLngLat('112.91度 35.81度')).toEqual([112.91, 35.81]);
  });

  it('leaves names, numbers and places outside China alone', () => {
    expect(parseLngLat('东关社区')).toBeNull();
    expect(parseLngLat('20261204-0012')).toBeNull();
    expect(parseLngLat('112.91')).toBeNull();
    expect(parseLngLat('112.91 35.81 7')).toBeNull();
    expect(parseLngLat('2.35, 48.85')).toBeNull(); // Paris
    expect(parseLngLat('200, 35')).toBeNull();
    expect(parseLngLat('200.5, 35.1')).toBeNull();
    expect(parseLngLat('112 35')).toBeNull(); // integers: a phone number's start, not a place
    expect(parseLngLat('135 12')).toBeNull();
    expect(parseLngLat('东经112°54′ 北纬35°48′')).toBeNull(); // minutes are not a latitude
    expect(parseLngLat('-112.91, 35.81')).toBeNull();
  });
});

describe('the datums of Chinese map apps', () => {
  const ground: [number, number] = [112.912888, 35.812379]; // 高平, on the ground (WGS 84)
  const metres = (a: [number, number], b: [number, number]) =>
    Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);

  it('moves a point by a few hundred metres in GCJ-02, and back to within a centimetre', () => {
    const shown = wgs84ToGcj02(...ground);
    const off = metres(shown, ground);
    expect(off).toBeGreaterThan(200);
    expect(off).toBeLessThan(800);
    expect(metres(gcj02ToWgs84(...shown), ground)).toBeLessThan(0.01);
    expect(toMapDatum(...shown, 'gcj02')).toEqual(ground);
  });

  it('gives the published figures (wandergis/coordtransform, at 116.404, 39.915)', () => {
    const [gLng, gLat] = wgs84ToGcj02(116.404, 39.915);
    expect(gLng).toBeCloseTo(116.41024449916938, 9);
    expect(gLat).toBeCloseTo(39.91640428150164, 9);
    const [bLng, bLat] = bd09ToGcj02(116.404, 39.915);
    expect(bLng).toBeCloseTo(116.39762729119315, 9);
    expect(bLat).toBeCloseTo(39.90865673957631, 9);
  });

  it("undoes Baidu's offset on top", () => {
    const gcj = wgs84ToGcj02(...ground);
    // BD-09 forward, as Baidu publishes it.
    const x = gcj[0];
    const y = gcj[1];
    const z = Math.sqrt(x * x + y * y) + 0.00002 * Math.sin((y * Math.PI * 3000) / 180);
    const theta = Math.atan2(y, x) + 0.000003 * Math.cos((x * Math.PI * 3000) / 180);
    const bd: [number, number] = [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
    expect(metres(bd09ToGcj02(...bd), gcj)).toBeLessThan(1);
    expect(metres(toMapDatum(...bd, 'bd09'), ground)).toBeLessThan(1);
    expect(metres(bd, ground)).toBeGreaterThan(500);
  });

  it("keeps the map's own coordinates as they are", () => {
    expect(toMapDatum(...ground, 'wgs84')).toEqual(ground);
  });
});
