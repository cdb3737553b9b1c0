// 查找地点 takes coordinates as a caller or a 12345 work order gives them.
import { describe, expect, it } from 'vitest';
import { parseLngLat } from '../../../client/src/lib/coordinates';

describe('parseLngLat', () => {
  it('reads two decimal degrees in either order, with the usual words and separators', () => {
    expect(parseLngLat('112.912888, 35.812379')).toEqual([112.912888, 35.812379]);
    expect(parseLngLat('35.812379 112.912888')).toEqual([112.912888, 35.812379]);
    expect(parseLngLat('东经112.9128，北纬35.8123')).toEqual([112.9128, 35.8123]);
    expect(parseLngLat('E112.9128 N35.8123')).toEqual([112.9128, 35.8123]);
    expect(parseLngLat('１１２.９１，３５.８１')).toEqual([112.91, 35.81]); // full-width
    expect(parseLngLat('lng: 112.91; lat: 35.81')).toEqual([112.91, 35.81]);
  });

  it('leaves names, numbers and places outside China alone', () => {
    expect(parseLngLat('东关社区')).toBeNull();
    expect(parseLngLat('20261204-0012')).toBeNull();
    expect(parseLngLat('112.91')).toBeNull();
    expect(parseLngLat('112.91 35.81 7')).toBeNull();
    expect(parseLngLat('2.35, 48.85')).toBeNull(); // Paris
    expect(parseLngLat('200, 35')).toBeNull();
  });
});
