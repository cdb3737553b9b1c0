// The demo county's habits, as pure functions of a seeded random generator: how many clues a day
// and at what hours, which township and which matter (streets and towns differ), where (villages,
// open country, hot spots at markets and schools), from which source, in which words. Both the
// history generator and the live simulator draw their clues from here, so they tell one story.
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { ClueSource } from '../../shared/cases';
import { DAY_MS, HOUR_MS, SHANGHAI_OFFSET_MS } from '../../shared/time';

export type Rand = () => number;
export type LngLat = [number, number];

/** What the model needs of a matter (shared/matters.ts Matter has more). */
export interface MatterInfo {
  code: string;
  name: string;
  domain: string;
  department: string;
  limits: { acknowledge: number; arrive: number; finish: number; rectify: number };
  delegatedTownships: readonly string[];
}

export type PlaceKind = 'school' | 'market' | 'hospital' | 'park' | 'industrial' | 'scenic';

export interface Place {
  code: string;
  name: string;
  townshipCode: string;
  center: LngLat;
  /** Grid staff (网格长 or the dedicated grid's worker), who reports what they find. */
  staff: string | null;
  kind?: PlaceKind;
}

interface Rings {
  /** Polygons, each an outer ring then its holes. */
  polygons: LngLat[][][];
  bbox: [number, number, number, number];
}

export interface TownshipModel {
  code: string;
  name: string;
  /** 街道 (dense, urban) rather than 镇/乡 (rural). */
  urban: boolean;
  /** Relative clue volume (population and activity). */
  weight: number;
  area: Rings;
  /** First-level grids: villages and communities. */
  villages: Place[];
  /** Dedicated grids: schools, markets, hospitals, parks … */
  hotspots: Place[];
  /** Matter codes and weights for clues not at a hot spot. */
  matters: Array<{ code: string; weight: number }>;
}

export interface WorldModel {
  townships: TownshipModel[];
  matters: Map<string, MatterInfo>;
}

export interface WorldInput {
  townships: FeatureCollection;
  first: FeatureCollection;
  dedicated: FeatureCollection;
  matters: readonly MatterInfo[];
}

// ------------------------------------------------------------------ the county's habits

/** Relative clue volume by Shanghai hour of day: grid workers patrol 8–12 and 14–18; evenings bring stalls and noise. */
export const HOUR_WEIGHTS: readonly number[] = [
  0.2, 0.1, 0.08, 0.08, 0.1, 0.25, 0.6, 1.2, 2.2, 2.8, 2.9, 2.4, 1.6, 1.4, 2.0, 2.5, 2.6, 2.3, 1.7, 1.5, 1.4,
  1.0, 0.6, 0.35,
];

/** Relative volume by weekday, Monday first: fewer patrols at weekends. */
export const WEEKDAY_FACTORS: readonly number[] = [1.12, 1.08, 1.05, 1.06, 1.02, 0.8, 0.7];

/** Matter weights in streets (街道), matched by name in the catalogue; others get BASE_WEIGHT. */
const URBAN_WEIGHTS: Record<string, number> = {
  占道经营: 12,
  '=乱堆乱放': 9,
  违规养犬: 7,
  流动摊贩: 6,
  道路违停: 5,
  乱扔垃圾: 4,
  店外经营: 4,
  乱贴乱画: 3,
  餐饮油烟: 3,
  噪声扰民: 3,
  露天烧烤: 2.5,
  私搭乱建: 2,
  违法倾倒建筑垃圾: 2,
  堵塞占用消防通道: 2,
  施工工地扬尘: 1.5,
  不明码标价: 1.5,
  销售过期食品: 1.5,
  违规设置门头牌匾: 1,
  擅自设置户外广告: 1,
  液化石油气瓶: 1,
  公共场所吸烟: 0.8,
  网吧接纳未成年人: 0.6,
  违法占用耕地: 0.3,
  露天焚烧: 0.5,
};

/** Matter weights in towns and townships (镇/乡): farmland, burning, coal slurry, village building. */
const RURAL_WEIGHTS: Record<string, number> = {
  违法占用耕地: 10,
  露天焚烧: 9,
  露天晾晒煤泥: 8,
  乡村违法建设: 4,
  未批先建: 4,
  秸秆乱堆乱放: 4,
  '=乱堆乱放': 3,
  野外违规用火: 3,
  违法倾倒建筑垃圾: 3,
  占道经营: 2.5,
  耕地上挖砂取土: 2.5,
  河道内倾倒垃圾: 2.5,
  无证采矿盗采煤炭: 2,
  运输车辆沿途撒漏: 2,
  随意丢弃病死畜禽: 1.5,
  滥伐林木: 1.5,
  车辆超限运输: 1.5,
  河道非法采砂: 1,
  黑加油点: 1,
  烟花爆竹: 1,
  违规养犬: 0.5,
};

const BASE_WEIGHT = 0.15;

/** What is reported around each kind of dedicated grid. */
const HOTSPOT_WEIGHTS: Record<PlaceKind, Record<string, number>> = {
  market: {
    占道经营: 6,
    流动摊贩: 5,
    '=乱堆乱放': 3,
    乱扔垃圾: 2,
    不明码标价: 2,
    销售过期食品: 2,
    计量器具作弊: 1,
  },
  school: { 流动摊贩: 5, 道路违停: 4, 销售过期食品: 2, 网吧接纳未成年人: 2, 占道经营: 2 },
  hospital: { 道路违停: 5, 占道经营: 3, 流动摊贩: 2, 乱扔垃圾: 1 },
  park: { 违规养犬: 6, 乱扔垃圾: 3, 噪声扰民: 2, 损毁城市绿地: 2, 露天烧烤: 1 },
  industrial: {
    运输车辆沿途撒漏: 3,
    施工工地扬尘: 3,
    企业违法排放污水: 2,
    未及时消除事故隐患: 2,
    车辆超限运输: 2,
  },
  scenic: { 野外违规用火: 3, 乱扔垃圾: 3, 文物保护范围内违法施工: 2, 露天烧烤: 2, 流动摊贩: 2 },
};

/** Share of clues at a hot spot, when the township has any. */
const HOTSPOT_SHARE = { urban: 0.35, rural: 0.15 };

/** Matters found in open country rather than in a village: sampled anywhere in the township. */
const OPEN_COUNTRY = /耕地|焚烧|煤泥|采矿|挖砂|林木|毁林|用火|采砂|秸秆|病死畜禽|河道|取水|测量标志/;

/** Matters that belong to the evening, and to the day only. */
const EVENING = /露天烧烤|噪声扰民|流动摊贩|占道经营|店外经营/;
const DAYTIME = /露天焚烧|耕地|建设|施工|挖砂|采砂|扬尘/;

const SOURCES: ReadonlyArray<[ClueSource, number]> = [
  ['grid_worker', 0.52],
  ['patrol', 0.14],
  ['hotline_12345', 0.16],
  ['public', 0.08],
  ['video', 0.07],
  ['department_transfer', 0.03],
];

// ------------------------------------------------------------------ building the model

export function buildWorld(input: WorldInput): WorldModel {
  const matters = new Map(input.matters.map((m) => [m.code, m]));
  const villagesOf = groupPlaces(input.first.features, false);
  const hotspotsOf = groupPlaces(input.dedicated.features, true);
  const townships = input.townships.features
    .map((f): TownshipModel => {
      const code = String(f.properties?.code);
      const name = String(f.properties?.name);
      const urban = name.endsWith('街道');
      const table = urban ? URBAN_WEIGHTS : RURAL_WEIGHTS;
      return {
        code,
        name,
        urban,
        weight: townshipWeight(code, name),
        area: ringsOf(f as Feature<Polygon | MultiPolygon>),
        villages: villagesOf.get(code) ?? [],
        hotspots: hotspotsOf.get(code) ?? [],
        matters: input.matters.map((m) => ({
          code: m.code,
          weight: weightByName(table, m.name) ?? BASE_WEIGHT,
        })),
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  return { townships, matters };
}

/** Streets are dense (about three towns' worth each), 乡 are small; a fixed ±20 % per township from its code. */
export function townshipWeight(code: string, name: string): number {
  const base = name.endsWith('街道') ? 3 : name.endsWith('乡') ? 0.7 : 1.2;
  const jitter = mulberry(hashString(code))();
  return Math.round(base * (0.8 + 0.4 * jitter) * 100) / 100;
}

/** A key matches a catalogue name it is part of (`=key`: only the exact name); the longest key wins. */
export function weightByName(table: Record<string, number>, name: string): number | undefined {
  let best: { len: number; w: number } | undefined;
  for (const [key, w] of Object.entries(table)) {
    const hit = key.startsWith('=') ? name === key.slice(1) : name.includes(key);
    if (hit && (!best || key.length > best.len)) best = { len: key.length, w };
  }
  return best?.w;
}

function groupPlaces(features: Feature[], dedicated: boolean): Map<string, Place[]> {
  const out = new Map<string, Place[]>();
  for (const f of features) {
    const p = f.properties ?? {};
    const township = String(p.townshipCode);
    const rings = ringsOf(f as Feature<Polygon | MultiPolygon>);
    const place: Place = {
      code: String(p.code),
      name: dedicated ? String(p.name).replace(/专属网格$/, '') : String(p.name),
      townshipCode: township,
      center: interiorPoint(rings),
      staff: typeof p.staff === 'string' ? p.staff : null,
      ...(dedicated && p.kind ? { kind: p.kind as PlaceKind } : {}),
    };
    let list = out.get(township);
    if (!list) out.set(township, (list = []));
    list.push(place);
  }
  for (const list of out.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  return out;
}

function ringsOf(f: Feature<Polygon | MultiPolygon>): Rings {
  const polygons = (
    f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
  ) as LngLat[][][];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of polygons)
    for (const [x, y] of poly[0]!) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  return { polygons, bbox: [minX, minY, maxX, maxY] };
}

/** Ray casting over every polygon's outer ring minus its holes. */
export function insideRings(area: Rings, p: LngLat): boolean {
  const [x, y] = p;
  const [minX, minY, maxX, maxY] = area.bbox;
  if (x < minX || x > maxX || y < minY || y > maxY) return false;
  for (const poly of area.polygons) {
    if (!inRing(poly[0]!, x, y)) continue;
    let hole = false;
    for (let i = 1; i < poly.length && !hole; i++) hole = inRing(poly[i]!, x, y);
    if (!hole) return true;
  }
  return false;
}

function inRing(ring: LngLat[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The vertex average of the largest outer ring when inside, else the first inside point on a fine scan. */
function interiorPoint(area: Rings): LngLat {
  const outer = area.polygons.map((p) => p[0]!).sort((a, b) => b.length - a.length)[0]!;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of outer) {
    sx += x;
    sy += y;
  }
  const avg: LngLat = [sx / outer.length, sy / outer.length];
  if (insideRings(area, avg)) return avg;
  const [minX, minY, maxX, maxY] = area.bbox;
  for (let k = 1; k <= 64; k *= 2)
    for (let i = 1; i < k * 2; i += 2)
      for (let j = 1; j < k * 2; j += 2) {
        const p: LngLat = [minX + ((maxX - minX) * i) / (2 * k), minY + ((maxY - minY) * j) / (2 * k)];
        if (insideRings(area, p)) return p;
      }
  return outer[0]!;
}

// ------------------------------------------------------------------ drawing clues

/** A clue as the world produces it, before anyone posts it. */
export interface ClueDraft {
  townshipCode: string;
  matterCode: string;
  lng: number;
  lat: number;
  source: ClueSource;
  description: string;
  reporter: { name?: string; phone?: string; id?: string };
  /** The dedicated grid the clue was drawn around, if any. */
  hotspot: string | null;
}

/** Draw one clue reported at `at` (epoch ms): township by weight, then place and matter. */
export function drawClue(world: WorldModel, rand: Rand, at: number, townshipCode?: string): ClueDraft {
  const township = townshipCode
    ? world.townships.find((t) => t.code === townshipCode)!
    : pickWeighted(world.townships, (t) => t.weight, rand);
  const hour = shanghaiHour(at);
  const share = township.urban ? HOTSPOT_SHARE.urban : HOTSPOT_SHARE.rural;
  let matterCode: string;
  let point: LngLat;
  let place: Place | undefined;
  let hotspot: Place | undefined;
  if (township.hotspots.length && rand() < share) {
    hotspot = pick(township.hotspots, rand);
    const table = HOTSPOT_WEIGHTS[hotspot.kind ?? 'market'];
    const candidates = [...world.matters.values()].filter((m) => weightByName(table, m.name) !== undefined);
    matterCode = pickWeighted(
      candidates,
      (m) => weightByName(table, m.name)! * hourFactor(m.name, hour),
      rand,
    ).code;
    point = scatter(township, hotspot.center, 70, rand);
    place = hotspot;
  } else {
    matterCode = pickWeighted(
      township.matters,
      (m) => m.weight * hourFactor(world.matters.get(m.code)!.name, hour),
      rand,
    ).code;
    const matter = world.matters.get(matterCode)!;
    if (OPEN_COUNTRY.test(matter.name) || !township.villages.length) {
      point = uniformIn(township, rand);
      place = nearest(township.villages, point);
    } else {
      place = pick(township.villages, rand);
      point = scatter(township, place.center, township.urban ? 220 : 350, rand);
    }
  }
  const matter = world.matters.get(matterCode)!;
  const source = pickSource(rand, hour);
  return {
    townshipCode: township.code,
    matterCode,
    lng: round6(point[0]),
    lat: round6(point[1]),
    source,
    description: describe(matter.name, place?.name ?? township.name, rand),
    reporter: reporterFor(source, place, rand),
    hotspot: hotspot?.code ?? null,
  };
}

/** Evening stalls and noise, daytime burning and building; nothing much at 3 a.m. either way. */
export function hourFactor(matterName: string, hour: number): number {
  if (EVENING.test(matterName) && hour >= 18 && hour <= 23) return 2.5;
  if (DAYTIME.test(matterName) && (hour >= 21 || hour < 6)) return 0.2;
  return 1;
}

function pickSource(rand: Rand, hour: number): ClueSource {
  const night = hour >= 22 || hour < 7;
  return pickWeighted(
    SOURCES,
    ([s, w]) => (night && (s === 'grid_worker' || s === 'patrol') ? w * 0.2 : w),
    rand,
  )[0];
}

function reporterFor(source: ClueSource, place: Place | undefined, rand: Rand): ClueDraft['reporter'] {
  switch (source) {
    case 'grid_worker':
      return { name: place?.staff ?? personName(rand), ...(place ? { id: place.code } : {}) };
    case 'patrol':
      return { name: personName(rand) };
    case 'hotline_12345':
    case 'public':
      return { name: `${personName(rand).slice(0, 1)}先生`, phone: phoneNumber(rand) };
    case 'video':
      return { id: `CAM-${Math.floor(rand() * 9000 + 1000)}` };
    default:
      return {};
  }
}

const PHRASES: Array<[RegExp, string[]]> = [
  [/占道经营/, ['水果摊占用人行道经营', '早市摊点占道，影响通行', '商户将货架摆上人行道']],
  [/流动摊贩/, ['流动摊贩聚集叫卖', '三轮车流动售卖，堵塞路口', '放学时段流动摊点聚集']],
  [/^乱堆乱放$/, ['建材杂物堆放在路边', '废旧家具堆在楼道口', '纸箱杂物乱堆，存在安全隐患']],
  [/违规养犬/, ['有人遛狗未拴绳，惊吓行人', '大型犬未拴绳在小区内游荡', '犬只未拴绳且未清理粪便']],
  [/道路违停/, ['车辆长期违停，疑似僵尸车', '车辆占用消防通道停放', '接送车辆违停堵塞校门口']],
  [/乱扔垃圾/, ['生活垃圾随意丢弃', '垃圾桶外散落垃圾无人清理']],
  [/违法占用耕地/, ['有人在耕地上硬化地面', '耕地内新建砖房地基', '占用基本农田堆放物料']],
  [/露天焚烧/, ['田间焚烧秸秆，浓烟较大', '有人露天焚烧垃圾', '地头焚烧杂草']],
  [/露天晾晒煤泥/, ['路边大面积晾晒煤泥', '空地晾晒煤泥，扬尘严重', '煤泥晾晒未覆盖']],
  [/噪声扰民/, ['夜间广场舞音响声音过大', '商铺外放音响扰民']],
  [/露天烧烤/, ['夜市露天烧烤油烟大', '路边烧烤摊占道经营']],
  [/违法倾倒建筑垃圾/, ['路边倾倒建筑垃圾', '夜间偷倒建筑垃圾']],
  [/秸秆/, ['秸秆堆放占用道路', '秸秆乱堆存在火灾隐患']],
  [/乡村违法建设|未批先建/, ['村民未批先建住宅', '村内新建房屋未办手续']],
];

function describe(matterName: string, placeName: string, rand: Rand): string {
  const phrases = PHRASES.find(([re]) => re.test(matterName))?.[1];
  const where = pick(['附近', '路口', '东侧', '西侧', '南侧', '北侧', '周边'], rand);
  const what = phrases ? pick(phrases, rand) : `发现${matterName}问题，请核查处置`;
  return `${placeName}${where}${what}`;
}

// ------------------------------------------------------------------ time

/** How many clues day `dayStart` (a Shanghai midnight) brings: Poisson around the weekday's mean. */
export function clueCountForDay(rand: Rand, dayStart: number, meanPerDay: number, trend = 1): number {
  return poisson(rand, meanPerDay * weekdayFactor(dayStart) * trend);
}

/** Instants within the Shanghai day starting at `dayStart`, following HOUR_WEIGHTS, sorted. */
export function timesInDay(rand: Rand, dayStart: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const hour = pickWeighted(
      HOUR_WEIGHTS.map((w, h) => [h, w] as const),
      ([, w]) => w,
      rand,
    )[0];
    out.push(dayStart + hour * HOUR_MS + Math.floor(rand() * HOUR_MS));
  }
  return out.sort((a, b) => a - b);
}

export function weekdayFactor(at: number): number {
  // 1970-01-01 (Shanghai) was a Thursday: index 3 with Monday first.
  const day = Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS);
  return WEEKDAY_FACTORS[(day + 3) % 7]!;
}

export function shanghaiHour(at: number): number {
  return Math.floor(((at + SHANGHAI_OFFSET_MS) % DAY_MS) / HOUR_MS);
}

// ------------------------------------------------------------------ small helpers

/** mulberry32: small, fast, seeded. */
export function mulberry(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to derive a per-thing seed from its name. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function pick<T>(items: readonly T[], rand: Rand): T {
  return items[Math.floor(rand() * items.length)]!;
}

export function pickWeighted<T>(items: readonly T[], weight: (t: T) => number, rand: Rand): T {
  let total = 0;
  for (const it of items) total += Math.max(0, weight(it));
  let r = rand() * total;
  for (const it of items) {
    r -= Math.max(0, weight(it));
    if (r < 0) return it;
  }
  return items[items.length - 1]!;
}

/** Knuth for small means, normal approximation above 50. */
export function poisson(rand: Rand, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rand)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

export function gaussian(rand: Rand): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Uniform between a and b. */
export const between = (rand: Rand, a: number, b: number) => a + (b - a) * rand();

const M_PER_DEG_LAT = 111_320;

/** A point about `meters` (one sigma) from `center`, kept inside the township. */
export function scatter(t: TownshipModel, center: LngLat, meters: number, rand: Rand): LngLat {
  const cos = Math.cos((center[1] * Math.PI) / 180);
  for (let i = 0; i < 12; i++) {
    const p: LngLat = [
      center[0] + (gaussian(rand) * meters) / (M_PER_DEG_LAT * cos),
      center[1] + (gaussian(rand) * meters) / M_PER_DEG_LAT,
    ];
    if (insideRings(t.area, p)) return p;
  }
  return insideRings(t.area, center) ? center : uniformIn(t, rand);
}

/** A uniformly random point inside the township (rejection sampling in its bounding box). */
export function uniformIn(t: TownshipModel, rand: Rand): LngLat {
  const [minX, minY, maxX, maxY] = t.area.bbox;
  for (let i = 0; i < 1000; i++) {
    const p: LngLat = [between(rand, minX, maxX), between(rand, minY, maxY)];
    if (insideRings(t.area, p)) return p;
  }
  return t.villages[0]?.center ?? [(minX + maxX) / 2, (minY + maxY) / 2];
}

function nearest(places: Place[], p: LngLat): Place | undefined {
  let best: Place | undefined;
  let bestD = Infinity;
  for (const pl of places) {
    const d = (pl.center[0] - p[0]) ** 2 + (pl.center[1] - p[1]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = pl;
    }
  }
  return best;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志红文辉玉斌鹏飞宇浩晨阳俊峰海燕雪梅春晓东亮宁波';

export function personName(rand: Rand): string {
  return pick([...SURNAMES], rand) + pick([...GIVEN], rand) + (rand() < 0.6 ? pick([...GIVEN], rand) : '');
}

function phoneNumber(rand: Rand): string {
  let s = pick(['135', '136', '138', '139', '150', '152', '158', '187'], rand);
  for (let i = 0; i < 8; i++) s += Math.floor(rand() * 10);
  return s;
}
