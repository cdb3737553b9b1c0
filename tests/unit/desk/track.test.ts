import { describe, expect, it } from 'vitest';
import { cleanTrack, dayWindow, positionAt, shanghaiDate } from '../../../client/src/lib/desk/track';

describe('track playback', () => {
  it("spans a whole day in Asia/Shanghai, whatever the machine's zone", () => {
    const w = dayWindow('2026-11-22')!;
    expect(new Date(w.from).toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(w.to - w.from).toBe(86_400_000);
    expect(shanghaiDate(w.from)).toBe('2026-11-22');
    expect(shanghaiDate(w.to - 1)).toBe('2026-11-22');
    expect(dayWindow('2026-02-30')).toBeNull();
    expect(dayWindow('2026-13-45')).toBeNull();
    expect(dayWindow('yesterday')).toBeNull();
  });

  it('interpolates between fixes and holds at the ends', () => {
    const pts = [
      { lng: 112.9, lat: 35.8, at: 1000 },
      { lng: 113.0, lat: 35.8, at: 2000 },
      { lng: 113.0, lat: 35.9, at: 4000 },
    ];
    expect(positionAt(pts, 0)).toMatchObject({ lng: 112.9, lat: 35.8, index: 0 });
    const mid = positionAt(pts, 1500)!;
    expect(mid.lng).toBeCloseTo(112.95, 10);
    expect(mid.lat).toBeCloseTo(35.8, 10);
    expect(mid.bearing).toBeCloseTo(90, 0); // heading east
    const later = positionAt(pts, 3000)!;
    expect(later.lat).toBeCloseTo(35.85, 10);
    expect(later.bearing).toBeCloseTo(0, 0); // heading north
    expect(positionAt(pts, 9999)).toMatchObject({ lng: 113.0, lat: 35.9, index: 2 });
    expect(positionAt([], 1)).toBeNull();
  });

  it('orders fixes by time and drops duplicates', () => {
    const out = cleanTrack([
      { lng: 2, lat: 0, at: 2 },
      { lng: 1, lat: 0, at: 1 },
      { lng: 9, lat: 0, at: 2 },
    ]);
    expect(out.map((p) => p.at)).toEqual([1, 2]);
  });
});
