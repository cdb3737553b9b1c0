import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import { countScreenKpis, formatCount } from '../../../client/src/lib/kpi';
import {
  hasResponseFigures,
  withTodayCount,
  mergeApiStats,
  percentile,
  statsFromCases,
} from '../../../client/src/lib/screen-stats';
import { shanghaiDay, startOfShanghaiDay } from '../../../shared/time';
import { onNewShanghaiDay, shanghaiClock } from '../../../client/src/lib/shanghai-time';
import { normaliseCase, locationChain } from '../../../client/src/lib/case-model';
import { CaseSourceFeed, diffCases } from '../../../client/src/lib/case-features';
import { boundsOf } from '../../../client/src/lib/geo-bounds';
import { nearestTeams, distanceMeters, formatDistance, teamsForCase } from '../../../client/src/lib/distance';
import { parseBasemap, basemapStyle } from '../../../client/src/lib/basemap';
import { staffText } from '../../../client/src/lib/staff';
import { actionErrorText, inLanguage, serverWords } from '../../../client/src/lib/api-errors';
import { ApiError } from '../../../client/src/api/http';
import type { Team } from '../../../shared/teams';
import { makeCase, translator } from './fixtures';

// 2026-03-10 08:00 in Shanghai = 00:00 UTC.
const NOW = Date.parse('2026-03-10T00:00:00Z');
const MIN = 60_000;

describe('Asia/Shanghai days', () => {
  it('starts the day at 16:00 UTC of the day before', () => {
    expect(new Date(startOfShanghaiDay(NOW)).toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(shanghaiDay(Date.parse('2026-03-09T15:59:59Z'))).toBe('2026-03-09');
    expect(shanghaiDay(Date.parse('2026-03-09T16:00:00Z'))).toBe('2026-03-10');
  });

  it("reads the header's clock in Shanghai: the date's parts, the weekday, the time", () => {
    // 16:30:05 UTC on Monday the 9th is 00:30:05 on Tuesday the 10th in Shanghai.
    expect(shanghaiClock(Date.parse('2026-03-09T16:30:05Z'))).toEqual({
      year: 2026,
      month: '03',
      day: '10',
      weekday: 2,
      time: '00:30:05',
    });
  });
});

describe('formatCount (the counters)', () => {
  it('writes a count as zh-CN does', () => {
    const zh = new Intl.NumberFormat('zh-CN');
    for (const n of [0, 7, 42, 999, 1000, 12_345, 999_999, 1_000_000, 1_234_567_890])
      expect(formatCount(n)).toBe(zh.format(n));
  });
});

describe('countScreenKpis', () => {
  it('counts today in Shanghai, not in UTC', () => {
    const yesterdayLate = Date.parse('2026-03-09T15:30:00Z'); // 23:30 in Shanghai, 9 March
    const todayEarly = Date.parse('2026-03-09T16:30:00Z'); // 00:30 in Shanghai, 10 March
    const k = countScreenKpis(
      [
        makeCase({ id: 'a', createdAt: yesterdayLate }),
        makeCase({ id: 'b', createdAt: todayEarly, status: 'dispatched', dispatchedAt: todayEarly + MIN }),
        makeCase({ id: 'c', createdAt: yesterdayLate, status: 'closed', closedAt: todayEarly }),
        makeCase({ id: 'd', createdAt: todayEarly, status: 'in_progress', overdue: true }),
        makeCase({ id: 'e', createdAt: todayEarly, status: 'closed', overdue: true, closedAt: todayEarly }),
        makeCase({ id: 'f', createdAt: todayEarly, status: 'returned' }),
      ],
      NOW,
    );
    expect(k).toEqual({ cluesToday: 4, dispatchedToday: 1, closedToday: 2, overdue: 1, awaitingDispatch: 2 });
  });
});

describe('statsFromCases', () => {
  const townships = [
    { code: '140581001', name: '北城街道' },
    { code: '140581002', name: '东城街道' },
  ];
  const loc = (code: string, name: string) => ({ ...makeCase().location!, township: { code, name } });

  it('counts 30 days of volume, rectification per township ranked, response median and P90', () => {
    const s = statsFromCases(
      [
        makeCase({
          id: '1',
          createdAt: NOW - 1000,
          deadlines: { acknowledge: null, arrive: null, finish: null, rectify: NOW },
          status: 'resolved',
        }),
        makeCase({
          id: '2',
          createdAt: NOW - 1000,
          deadlines: { acknowledge: null, arrive: null, finish: null, rectify: NOW },
          status: 'rectifying',
        }),
        makeCase({
          id: '3',
          createdAt: NOW - 40 * 86_400_000,
          location: loc('140581001', '北城街道'),
          deadlines: { acknowledge: null, arrive: null, finish: null, rectify: NOW },
          status: 'closed',
          dispatchedAt: 0,
          arrivedAt: 10 * MIN,
        }),
        ...[10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((m, i) =>
          makeCase({
            id: `r${i}`,
            createdAt: NOW - 86_400_000,
            dispatchedAt: 0,
            arrivedAt: m * MIN,
            domain: '违法建设',
          }),
        ),
      ],
      NOW,
      townships,
    );
    expect(s.days).toHaveLength(30);
    expect(s.days.at(-1)).toBe('2026-03-10');
    expect(s.volume.at(-1)).toBe(2);
    expect(s.volume.at(-2)).toBe(10);
    expect(s.rectification.map((r) => [r.name, r.rate])).toEqual([
      ['北城街道', 1],
      ['东城街道', 0.5],
    ]);
    const dc = s.response.find((r) => r.code === '140581002')!;
    expect([dc.medianMin, dc.p90Min, dc.samples]).toEqual([50, 90, 10]);
    expect(s.domains[0]).toEqual({ name: '违法建设', value: 10 });
  });

  it('knows when no township has a response time to draw (every row listed, none with a median)', () => {
    const none = mergeApiStats(statsFromCases([], NOW, townships), {
      townships: [
        {
          code: '140581002',
          name: '东城街道',
          responseTime: { arrive: { count: 0, medianMinutes: null, p90Minutes: null } },
        },
        {
          code: '140581001',
          name: '南城街道',
          responseTime: { arrive: { count: 0, medianMinutes: null, p90Minutes: null } },
        },
      ],
    });
    expect(none.response).toHaveLength(2);
    expect(hasResponseFigures(none)).toBe(false);
    const one = mergeApiStats(none, {
      townships: [
        {
          code: '140581002',
          name: '东城街道',
          responseTime: { arrive: { count: 1, medianMinutes: 0, p90Minutes: 0 } },
        },
      ],
    });
    expect(hasResponseFigures(one)).toBe(true); // nought minutes is a figure
  });

  it('sets today’s point to the counter beside it, only on the chart’s own today', () => {
    const s = statsFromCases([makeCase({ id: 'a', createdAt: NOW - 1000 })], NOW, townships);
    expect(s.volume.at(-1)).toBe(1);
    const live = withTodayCount(s, { day: s.days.at(-1)!, count: 3 });
    expect(live.volume.at(-1)).toBe(3);
    expect(live.volume.slice(0, -1)).toEqual(s.volume.slice(0, -1));
    expect(s.volume.at(-1)).toBe(1); // a copy: the figures read from the API are left as they are
    // The same count, or none yet: the very same object (the chart is not redrawn).
    expect(withTodayCount(s, { day: s.days.at(-1)!, count: 1 })).toBe(s);
    expect(withTodayCount(s, null)).toBe(s);
    // Just after midnight the figures still end yesterday: today's count is not put on it.
    expect(withTodayCount(s, { day: '2026-03-11', count: 0 })).toBe(s);
  });

  it('uses nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([], 90)).toBeNull();
  });

  it('overlays what /api/stats answers and keeps local figures for the rest', () => {
    const base = statsFromCases([], NOW, townships);
    const merged = mergeApiStats(base, { volumeByDay: [{ day: '2026-03-10', count: 7 }], unknown: 1 });
    expect(merged.volume.at(-1)).toBe(7);
    expect(merged.rectification).toBe(base.rectification);
    expect(mergeApiStats(base, null)).toBe(base);
    const report = mergeApiStats(base, {
      townships: [
        {
          code: '140581002',
          name: '东城街道',
          rectificationRate: { numerator: 3, denominator: 4, value: 0.75 },
          responseTime: { arrive: { count: 5, medianMinutes: 12.5, p90Minutes: 40 } },
        },
      ],
    });
    expect(report.rectification).toEqual([
      { code: '140581002', name: '东城街道', ordered: 4, rectified: 3, rate: 0.75 },
    ]);
    expect(report.response).toEqual([
      { code: '140581002', name: '东城街道', medianMin: 12.5, p90Min: 40, samples: 5 },
    ]);
    const byObject = mergeApiStats(base, { volume: { byDomain: { 市容环境: 3, 林业: 0, 违法建设: 5 } } });
    expect(byObject.domains).toEqual([
      { name: '违法建设', value: 5 },
      { name: '市容环境', value: 3 },
    ]);
  });
});

describe('normaliseCase', () => {
  it('reads the issue-4 shape: matter object, ISO times, jurisdiction, route', () => {
    const c = normaliseCase({
      id: 'C9',
      version: 2,
      status: 'dispatched',
      matter: { code: 'X', name: '私搭乱建', domain: '违法建设', legalBasis: '城乡规划法第六十四条' },
      lng: 112.9,
      lat: 35.8,
      jurisdiction: makeCase().location,
      route: {
        assignee: { kind: 'department', code: 'zrzyj', name: '自然资源局' },
        cooperating: [{ kind: 'township', code: '140581002', name: '东城街道' }],
        reason: '未赋权乡镇',
      },
      deadlines: { acknowledge: '2026-03-10T02:00:00Z' },
      createdAt: '2026-03-10T00:00:00Z',
    })!;
    expect(c).toMatchObject({
      id: 'C9',
      matterName: '私搭乱建',
      domain: '违法建设',
      assignee: { code: 'zrzyj' },
    });
    expect(c.deadlines.acknowledge).toBe(Date.parse('2026-03-10T02:00:00Z'));
    expect(c.route!.cooperating[0]!.name).toBe('东城街道');
    expect(locationChain(c.location).chain).toEqual(['东城街道', '东关社区', '东关1网格', '东关1-1']);
  });
  it('refuses a case without a known state or a position', () => {
    expect(normaliseCase({ id: 'x', status: 'weird', lng: 1, lat: 1 })).toBeNull();
    expect(normaliseCase({ id: 'x', status: 'reported' })).toBeNull();
  });
  it('names the deadline a case is overdue on', () => {
    // The deadline it is overdue on: missed and unmet, the one due first; a met one does not count.
    const late = normaliseCase({
      id: 'y',
      status: 'rectifying',
      lng: 1,
      lat: 1,
      overdue: true,
      deadlineState: {
        acknowledge: { dueAt: 100, metAt: 150, overdueAt: 101 },
        finish: { dueAt: 500, metAt: null, overdueAt: 501 },
        rectify: { dueAt: 400, metAt: null, overdueAt: null },
        arrive: { dueAt: 700, metAt: null, overdueAt: 701 },
      },
    });
    expect(late?.missed).toEqual({ kind: 'finish', dueAt: 500 });
    expect(normaliseCase({ id: 'z', status: 'dispatched', lng: 1, lat: 1 })?.missed).toBeNull();
  });
});

describe('diffCases', () => {
  it('adds open cases, replaces changed ones by id, removes those that closed', () => {
    const byId = new Map([
      ['a', makeCase({ id: 'a' })],
      ['b', makeCase({ id: 'b', status: 'closed' })],
    ]);
    const shown = new Set(['b']);
    const d = diffCases(['a', 'b', 'gone'], byId, shown);
    expect(d.add.map((f) => f.id)).toEqual(['a']);
    expect(d.remove).toEqual(['b']);
    expect([...shown]).toEqual(['a']);
  });
});

describe('CaseSourceFeed', () => {
  it('sends one diff per flush for the ids noted since, and nothing when they change nothing on the map', () => {
    const byId = new Map([['a', makeCase({ id: 'a' })]]);
    const sent: Array<{ add: string[]; remove: string[] }> = [];
    const feed = new CaseSourceFeed(byId, () => ({
      updateData: (d) => sent.push({ add: d.add.map((f) => String(f.id)), remove: d.remove }),
    }));
    feed.note(['a']);
    feed.note(['a']);
    feed.flush();
    expect(sent).toEqual([{ add: ['a'], remove: [] }]);
    byId.set('a', makeCase({ id: 'a', status: 'closed' }));
    byId.set('c', makeCase({ id: 'c', status: 'rejected' }));
    feed.note(['a', 'c']);
    feed.flush();
    feed.flush(); // nothing noted since
    expect(sent).toEqual([
      { add: ['a'], remove: [] },
      { add: [], remove: ['a'] },
    ]);
    expect(feed.shown.size).toBe(0);
  });

  it('keeps what it noted while the map has no source, and sends it once there is one', () => {
    const byId = new Map([['a', makeCase({ id: 'a' })]]);
    let source: { updateData: (d: { add: unknown[] }) => void } | undefined = undefined;
    const added: number[] = [];
    const feed = new CaseSourceFeed(byId, () => source);
    feed.note(['a']);
    feed.flush();
    expect(feed.shown.size).toBe(0);
    source = { updateData: (d) => added.push(d.add.length) };
    feed.flush();
    expect(added).toEqual([1]);
    expect([...feed.shown]).toEqual(['a']);
  });
});

describe('boundsOf', () => {
  it('spans every coordinate of points, lines and (multi)polygons; null for none', () => {
    const f = (geometry: GeoJSON.Geometry): GeoJSON.Feature => ({
      type: 'Feature',
      properties: {},
      geometry,
    });
    expect(
      boundsOf([
        f({ type: 'Point', coordinates: [113, 35.5] }),
        f({
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [112.5, 35.9],
                [112.7, 36.1],
                [112.6, 35.7],
                [112.5, 35.9],
              ],
            ],
          ],
        }),
        f({
          type: 'LineString',
          coordinates: [
            [112.8, 35.6],
            [112.9, 35.65],
          ],
        }),
      ]),
    ).toEqual([112.5, 35.5, 113, 36.1]);
    expect(boundsOf([])).toBeNull();
    expect(boundsOf([f({ type: 'GeometryCollection', geometries: [] })])).toBeNull();
  });
});

describe('nearestTeams', () => {
  const team = (id: string, lng: number, status: Team['status']): Team => ({
    id,
    name: id,
    kind: 'township',
    owner: { kind: 'township', code: '1', name: 'x' },
    members: [],
    deviceIds: [],
    position: { lng, lat: 35.8, at: 0, speed: 0, bearing: 0 },
    status,
    task: null,
  });
  it('orders by straight-line distance with offline teams last', () => {
    const near = nearestTeams(
      [team('far', 113.0, 'idle'), team('off', 112.9001, 'offline'), team('near', 112.91, 'en_route')],
      [112.9, 35.8],
      3,
    );
    expect(near.map((n) => n.team.id)).toEqual(['near', 'far', 'off']);
    expect(Math.round(near[0]!.meters)).toBe(Math.round(distanceMeters([112.9, 35.8], [112.91, 35.8])));
    // one hundredth of a degree of longitude at 35.8°N is about 903 m
    expect(near[0]!.meters).toBeGreaterThan(890);
    expect(near[0]!.meters).toBeLessThan(915);
  });
  it("marks the case's unit's teams, and adds that unit's nearest when none is among the nearest", () => {
    const of = (id: string, lng: number, code: string): Team => ({
      ...team(id, lng, 'idle'),
      owner: { kind: 'township', code, name: code },
    });
    const teams = [
      of('a1', 112.901, 'A'),
      of('a2', 112.902, 'A'),
      of('b1', 112.95, 'B'),
      of('b2', 112.99, 'B'),
    ];
    const at: [number, number] = [112.9, 35.8];
    const ids = (xs: Array<{ team: Team; own?: boolean }>) =>
      xs.map((x) => `${x.team.id}${x.own ? '*' : ''}`);
    // B's nearest team is third: marked in place, nothing added.
    expect(ids(teamsForCase(teams, at, { kind: 'township', code: 'B' }, 3))).toEqual(['a1', 'a2', 'b1*']);
    // B's are all beyond the first two: its nearest is added at the end.
    expect(ids(teamsForCase(teams, at, { kind: 'township', code: 'B' }, 2))).toEqual(['a1', 'a2', 'b1*']);
    expect(ids(teamsForCase(teams, at, { kind: 'township', code: 'A' }, 2))).toEqual(['a1*', 'a2*']);
    // A unit without teams, or no unit: the nearest, unmarked.
    expect(ids(teamsForCase(teams, at, { kind: 'department', code: 'zrzyj' }, 2))).toEqual(['a1', 'a2']);
    expect(ids(teamsForCase(teams, at, null, 2))).toEqual(['a1', 'a2']);
  });
});

describe('parseBasemap', () => {
  it('defaults to the offline style with no tile source at all', () => {
    const { config } = parseBasemap(undefined);
    expect(config).toEqual({ kind: 'offline' });
    expect(Object.keys(basemapStyle(config).sources)).toEqual([]);
  });
  it('needs a key for Tianditu and says so', () => {
    expect(parseBasemap('tianditu-img').warning).toMatch(/TIANDITU_KEY/);
    const style = basemapStyle(parseBasemap('tianditu-img', 'k').config);
    expect(Object.keys(style.sources)).toEqual(['tdt-img', 'tdt-cia']);
  });
  it('takes any XYZ URL with {z}/{x}/{y}, and refuses one without', () => {
    expect(parseBasemap('xyz:https://tiles.example/{z}/{x}/{y}.png').config.kind).toBe('xyz');
    expect(parseBasemap('xyz:https://tiles.example/tile.png').config.kind).toBe('offline');
  });
  it('reads a PMTiles archive our server serves through the pmtiles protocol, at an absolute URL', () => {
    const { config } = parseBasemap('pmtiles:/tiles/gaoping.pmtiles');
    expect(config).toEqual({ kind: 'pmtiles', url: '/tiles/gaoping.pmtiles' });
    const style = basemapStyle(config, 'http://10.0.0.11:3000');
    expect(style.sources.pmtiles).toMatchObject({
      type: 'raster',
      url: 'pmtiles://http://10.0.0.11:3000/tiles/gaoping.pmtiles',
    });
  });
  it('draws no background layer: the dark ground is the map element itself (one pass less a frame)', () => {
    expect(basemapStyle({ kind: 'offline' }).layers).toEqual([]);
  });
});

describe('plain words', () => {
  it('names staff from a string, a person or a list', () => {
    expect(staffText('李敏')).toBe('李敏');
    expect(staffText({ role: 'worker', name: '王伟', phone: '139' })).toBe('网格员 王伟 139');
    expect(staffText('[{"role":"head","name":"张强"},{"role":"assistant","name":"刘洋"}]')).toBe(
      '网格长 张强、网格辅助员 刘洋',
    );
  });
  it('explains 409, 422 and 403 to the operator in Chinese, and in English on an English page', () => {
    const zh = translator('zh-CN');
    expect(actionErrorText(new ApiError(409, 'stale version'), zh)).toContain('刚被其他人处理过');
    expect(actionErrorText(new ApiError(422, '已签收的案件不能派遣'), zh)).toBe(
      '当前状态下不能执行此操作：已签收的案件不能派遣',
    );
    expect(actionErrorText(new ApiError(403, 'forbidden'), zh)).toContain('没有权限');
    expect(actionErrorText(new ApiError(503, 'HTTP 503'), zh)).toBe('服务器出错（503），请稍后重试');
    const en = translator('en');
    expect(actionErrorText(new ApiError(409, 'stale version'), en)).toMatch(/^Someone else has just acted/);
    expect(actionErrorText(new ApiError(0, 'network'), en)).toMatch(/^Cannot reach the server/);
    // The server says it both ways, 中文 (English): each page shows its own.
    const both = new ApiError(422, '改派须指定不同的承办单位 (reassign needs a different assignee)');
    expect(actionErrorText(both, zh)).toBe('当前状态下不能执行此操作：改派须指定不同的承办单位');
    expect(actionErrorText(both, en)).toMatch(/reassign needs a different assignee$/);
    expect(actionErrorText(both, en)).not.toMatch(/改派/);
    expect(inLanguage('用户名或密码错误 (wrong username or password)', 'zh')).toBe('用户名或密码错误');
    expect(inLanguage('query.from: must not be after query.to', 'zh')).toBe(
      'query.from: must not be after query.to',
    );
    expect(
      inLanguage(
        '合并目标案件 X 已结案，请作为新案件派遣 (target is closed: dispatch this as a new case)',
        'zh',
      ),
    ).toBe('合并目标案件 X 已结案，请作为新案件派遣');
    // What a page shows from a store's message: the server's half, or no answer in its own words.
    expect(serverWords('照片过大 (photo too large)', en)).toBe('photo too large');
    expect(serverWords('network', zh)).toMatch(/无法连接服务器/);
  });
  it('writes distances in metres under a kilometre, in the page language', () => {
    expect(formatDistance(781.4, translator('zh-CN'))).toBe('781 米');
    expect(formatDistance(2949, translator('zh-CN'))).toBe('2.9 公里');
    expect(formatDistance(12_400, translator('en'))).toBe('12 km');
    // Where the rounding crosses a unit or a decimal: said as the next one says it.
    expect(formatDistance(999.6, translator('zh-CN'))).toBe('1.0 公里');
    expect(formatDistance(9_960, translator('zh-CN'))).toBe('10 公里');
    expect(formatDistance(9_940, translator('zh-CN'))).toBe('9.9 公里');
  });
});

describe('onNewShanghaiDay: what counts days is refreshed at midnight in Shanghai, events or not', () => {
  it('calls back once as the clock enters each new day there (16:00 UTC), not on other ticks', async () => {
    // 2026-12-02 23:58 in Shanghai is 15:58 UTC.
    const now = ref(Date.UTC(2026, 11, 2, 15, 58));
    let calls = 0;
    const stop = onNewShanghaiDay(now, () => calls++);
    for (const minutes of [59, 59.5]) {
      now.value = Date.UTC(2026, 11, 2, 15, 0) + minutes * 60_000;
      await nextTick();
    }
    expect(calls).toBe(0);
    now.value = Date.UTC(2026, 11, 2, 16, 0); // 00:00 on the 3rd in Shanghai
    await nextTick();
    expect(calls).toBe(1);
    now.value = Date.UTC(2026, 11, 2, 23, 0); // 07:00 the same Shanghai day (the UTC date is the 2nd)
    await nextTick();
    expect(calls).toBe(1);
    now.value = Date.UTC(2026, 11, 3, 16, 1);
    await nextTick();
    expect(calls).toBe(2);
    stop();
  });
});
