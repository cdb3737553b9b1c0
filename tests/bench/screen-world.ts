// A seeded stand-in county for the big screen's benchmark and end-to-end fallbacks: 15 townships,
// first/second/micro grids nesting exactly (about 10,000 micro-grids, like the real pack), dedicated
// grids, open cases and team fixes. Used only while the real geo pack or case API is absent.
import type { Feature, FeatureCollection, Polygon } from 'geojson';

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

const TOWNSHIP_NAMES = [
  '北城街道',
  '东城街道',
  '南城街道',
  '米山镇',
  '三甲镇',
  '神农镇',
  '陈区镇',
  '北诗镇',
  '河西镇',
  '马村镇',
  '野川镇',
  '寺庄镇',
  '建宁乡',
  '石末乡',
  '原村乡',
];
export const BBOX = [112.72, 35.62, 113.12, 35.98] as const;

type Box = [number, number, number, number];
const rect = ([x0, y0, x1, y1]: Box): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});
function split([x0, y0, x1, y1]: Box, nx: number, ny: number): Box[] {
  const out: Box[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++)
      out.push([
        x0 + ((x1 - x0) * i) / nx,
        y0 + ((y1 - y0) * j) / ny,
        x0 + ((x1 - x0) * (i + 1)) / nx,
        y0 + ((y1 - y0) * (j + 1)) / ny,
      ]);
  return out;
}

export interface World {
  layers: Record<'county' | 'townships' | 'first' | 'second' | 'micro' | 'dedicated', FeatureCollection>;
  townships: Array<{ code: string; name: string; box: Box }>;
  micro: Array<{ code: string; name: string; box: Box; chain: string[] }>;
}

export function buildWorld(seed = 140581): World {
  const rand = mulberry32(seed);
  const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  const county = fc([
    {
      type: 'Feature',
      properties: { code: '140581', name: '高平市', tier: 'county' },
      geometry: rect([...BBOX]),
    },
  ]);
  const townships: World['townships'] = split([...BBOX], 5, 3).map((box, i) => ({
    code: `140581${String(i + 1).padStart(3, '0')}`,
    name: TOWNSHIP_NAMES[i]!,
    box,
  }));
  const first: Feature[] = [];
  const second: Feature[] = [];
  const micro: Feature[] = [];
  const microList: World['micro'] = [];
  const dedicated: Feature[] = [];
  const person = () =>
    '王李张刘陈杨赵黄周吴'[Math.floor(rand() * 10)]! + '伟芳娜敏静丽强磊军洋'[Math.floor(rand() * 10)]!;
  for (const t of townships) {
    split(t.box, 4, 4).forEach((fb, fi) => {
      const fcode = `${t.code}${String(fi + 1).padStart(3, '0')}`;
      const fname = `${t.name.slice(0, 2)}${fi + 1}村`;
      first.push({
        type: 'Feature',
        properties: {
          code: fcode,
          name: fname,
          tier: 'first',
          parentCode: t.code,
          townshipCode: t.code,
          staff: { role: 'head', name: person() },
        },
        geometry: rect(fb),
      });
      split(fb, 2, 2).forEach((sb, si) => {
        const scode = `${fcode}${String(si + 1).padStart(2, '0')}`;
        second.push({
          type: 'Feature',
          properties: {
            code: scode,
            name: `${fname}第${si + 1}网格`,
            tier: 'second',
            parentCode: fcode,
            townshipCode: t.code,
            staff: { role: 'worker', name: person() },
          },
          geometry: rect(sb),
        });
        split(sb, 3, 3).forEach((mb, mi) => {
          const mcode = `${scode}${String(mi + 1).padStart(2, '0')}`;
          const mname = `${fname}${si + 1}-${mi + 1}微网格`;
          micro.push({
            type: 'Feature',
            properties: {
              code: mcode,
              name: mname,
              tier: 'micro',
              parentCode: scode,
              townshipCode: t.code,
              staff: { role: 'assistant', name: person() },
            },
            geometry: rect(mb),
          });
          microList.push({ code: mcode, name: mname, box: mb, chain: [t.code, fcode, scode] });
        });
      });
    });
    for (let d = 0; d < 3; d++) {
      const [x0, y0, x1, y1] = t.box;
      const cx = x0 + (x1 - x0) * (0.2 + 0.6 * rand());
      const cy = y0 + (y1 - y0) * (0.2 + 0.6 * rand());
      dedicated.push({
        type: 'Feature',
        properties: {
          code: `${t.code}Z${d + 1}`,
          name: `${t.name.slice(0, 2)}${['中学', '农贸市场', '卫生院'][d]}专属网格`,
          tier: 'dedicated',
          townshipCode: t.code,
          staff: { role: 'worker', name: person() },
        },
        geometry: rect([cx, cy, cx + 0.006, cy + 0.004]),
      });
    }
  }
  return {
    layers: {
      county,
      townships: fc(
        townships.map((t) => ({
          type: 'Feature',
          properties: { code: t.code, name: t.name, tier: 'township' },
          geometry: rect(t.box),
        })),
      ),
      first: fc(first),
      second: fc(second),
      micro: fc(micro),
      dedicated: fc(dedicated),
    },
    townships,
    micro: microList,
  };
}

const MATTERS = [
  ['CG-001', '违法倾倒建筑垃圾', '市容环境', '《城市市容和环境卫生管理条例》第三十六条'],
  ['CG-002', '露天晾晒煤泥', '生态环境', '《山西省大气污染防治条例》第五十条'],
  ['CG-003', '私搭乱建', '违法建设', '《中华人民共和国城乡规划法》第六十四条'],
  ['JT-001', '道路违停/僵尸车', '交通运输', '《中华人民共和国道路交通安全法》第九十三条'],
  ['CG-004', '流动摊贩占道经营', '市容环境', '《城市市容和环境卫生管理条例》第三十四条'],
  ['CG-005', '违规养犬不拴绳', '市容环境', '《山西省养犬管理条例》第二十条'],
  ['ZR-001', '违法占用耕地', '自然资源', '《中华人民共和国土地管理法》第七十五条'],
  ['SC-001', '无照经营', '市场监管', '《无证无照经营查处办法》第十三条'],
  ['YJ-001', '安全生产隐患', '安全生产', '《中华人民共和国安全生产法》第一百零二条'],
] as const;
const STATES = [
  'reported',
  'dispatched',
  'accepted',
  'in_progress',
  'rectifying',
  'resolved',
  'returned',
] as const;
const SOURCES = ['grid_worker', 'patrol', 'hotline_12345', 'public', 'video'] as const;

/** `n` cases in the shape of the case API (issue 4), spread over 30 days, most of them open. */
export function buildCases(world: World, n: number, now: number, seed = 7): Array<Record<string, unknown>> {
  const rand = mulberry32(seed);
  const names = new Map<string, string>();
  for (const f of [
    ...world.layers.townships.features,
    ...world.layers.first.features,
    ...world.layers.second.features,
  ])
    names.set(String(f.properties!.code), String(f.properties!.name));
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const m = world.micro[Math.floor(rand() * world.micro.length)]!;
    const [x0, y0, x1, y1] = m.box;
    const matter = MATTERS[Math.floor(rand() * MATTERS.length)]!;
    const status = i < n * 0.1 ? 'closed' : STATES[Math.floor(rand() * STATES.length)]!;
    const created = now - Math.floor(rand() ** 2 * 30 * 86_400_000);
    const dispatchedAt = status === 'reported' ? null : created + 5 * 60_000;
    const t = { code: m.chain[0]!, name: names.get(m.chain[0]!)! };
    const hours = (h: number) => (dispatchedAt ?? created) + h * 3600_000;
    out.push({
      id: `C${String(100000 + i)}`,
      version: 1,
      status,
      matterCode: matter[0],
      matter: { code: matter[0], name: matter[1], domain: matter[2], legalBasis: matter[3] },
      description: `${matter[1]}，群众反映。`,
      source: SOURCES[Math.floor(rand() * SOURCES.length)],
      lng: x0 + (x1 - x0) * rand(),
      lat: y0 + (y1 - y0) * rand(),
      jurisdiction: {
        township: t,
        first: { code: m.chain[1], name: names.get(m.chain[1]!) },
        second: { code: m.chain[2], name: names.get(m.chain[2]!) },
        micro: { code: m.code, name: m.name },
        dedicated: [],
        nearBoundary: rand() < 0.05,
      },
      route: { assignee: { kind: 'township', ...t }, cooperating: [], reason: `事项已赋权${t.name}` },
      deadlines: {
        acknowledge: hours(2),
        arrive: hours(6),
        finish: hours(72),
        rectify: status === 'rectifying' || rand() < 0.2 ? hours(240) : null,
      },
      overdue: rand() < 0.12,
      createdAt: created,
      updatedAt: created + 60_000,
      dispatchedAt,
      acknowledgedAt: dispatchedAt && status !== 'dispatched' ? dispatchedAt + rand() * 3600_000 : null,
      arrivedAt:
        dispatchedAt && ['in_progress', 'rectifying', 'resolved', 'closed'].includes(status)
          ? dispatchedAt + (10 + rand() * 110) * 60_000
          : null,
      closedAt: status === 'closed' ? created + 86_400_000 : null,
    });
  }
  return out;
}
