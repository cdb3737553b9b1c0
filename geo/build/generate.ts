// Generates the county pack from the real outline and the real township and village names:
// township shapes, the three regular grid tiers and the dedicated grids. Pure and deterministic.
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import polygonClipping from 'polygon-clipping';
import type { GeoLayer, UnitProperties } from '../../shared/geo';
import {
  centroid,
  cleanRing,
  mPerDegLng,
  M_PER_DEG_LAT,
  pointInRings,
  polyArea,
  type Poly,
  type Position,
  type Ring,
} from './geometry';
import { chineseNumber, dedicatedPlaces, placeName, staffName, type DedicatedKind } from './names';
import { densify, MAX_PIECE_METERS, partition, samplePoints, spreadSeeds } from './partition';
import { apportion, rngFor } from './random';

export interface CountySource {
  code: string;
  name: string;
  parentCode: string;
  outline: Ring;
  townships: Array<{ code: string; name: string }>;
  villages: Array<{ code: string; name: string; townshipCode: string }>;
}

export type Pack = Record<GeoLayer, FeatureCollection<Polygon, UnitProperties>>;

/** The city centre of Gaoping; the three streets (街道) sit around it. */
export const CITY_CENTRE: Position = [112.92, 35.8];
const STREET_SEEDS: Record<string, Position> = {
  北城街道: [112.911, 35.8125],
  东城街道: [112.935, 35.8],
  南城街道: [112.913, 35.7855],
};
/** 东城街道's figures in the seed article: first-level, second-level, micro, dedicated. */
export const DONGCHENG = { name: '东城街道', first: 15, second: 46, micro: 447, dedicated: 15 };

const metres = (a: Position, b: Position) =>
  Math.hypot((a[0] - b[0]) * mPerDegLng(a[1]), (a[1] - b[1]) * M_PER_DEG_LAT);

function feature(ring: Ring, props: UnitProperties): Feature<Polygon, UnitProperties> {
  return { type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: [ring] } };
}

/** The source outline repeats points; a self-union drops them and any collinear runs. */
function cleanOutline(ring: Ring): Ring {
  const pieces = polygonClipping.union([ring]).sort((a, b) => polyArea(b) - polyArea(a));
  if (!pieces[0]) throw new Error('the county outline is empty');
  return cleanRing(densify(pieces[0][0]!, MAX_PIECE_METERS));
}

interface Unit {
  code: string;
  ring: Ring;
  townshipCode: string;
  place: string;
  urban: boolean;
}

/** One feature per line: small diffs when a generator detail changes, still plain GeoJSON. */
export function serializeLayer(fc: FeatureCollection): string {
  return `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

export function generatePack(src: CountySource): Pack {
  const layers: Record<GeoLayer, Array<Feature<Polygon, UnitProperties>>> = {
    county: [],
    townships: [],
    first: [],
    second: [],
    micro: [],
    dedicated: [],
  };
  const county = cleanOutline(src.outline);
  layers.county.push(
    feature(county, {
      code: src.code,
      name: src.name,
      tier: 'county',
      parentCode: src.parentCode,
      townshipCode: null,
    }),
  );

  // Townships: the streets are fixed around the centre, towns and 乡 spread over the rest.
  const streets = src.townships.filter((t) => t.name.endsWith('街道'));
  const towns = src.townships.filter((t) => !t.name.endsWith('街道'));
  const rand = rngFor(`townships:${src.code}`);
  const rural = samplePoints([county], 6000, rand, (p) => metres(p, CITY_CENTRE) > 7000);
  const townSeeds = spreadSeeds(rural, towns.length, CITY_CENTRE[1], 25);
  // Towns take seeds clockwise from north, in code order, so the layout reads the same every run.
  const angle = (p: Position) =>
    (Math.atan2(p[0] - CITY_CENTRE[0], p[1] - CITY_CENTRE[1]) + 2 * Math.PI) % (2 * Math.PI);
  townSeeds.sort((a, b) => angle(a) - angle(b));
  const seeds = [...streets.map((s) => STREET_SEEDS[s.name] ?? CITY_CENTRE), ...townSeeds];
  const ordered = [...streets, ...towns];
  const townshipCells = partition([county], ordered.length, {
    key: `townships:${src.code}`,
    segmentMeters: 250,
    seeds,
  }).cells;
  const townships: Unit[] = ordered
    .map((t, i) => ({ ...t, ring: townshipCells[i]! }))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((t) => ({
      code: t.code,
      ring: t.ring,
      townshipCode: t.code,
      place: t.name,
      urban: t.name.endsWith('街道'),
    }));
  for (const t of townships) {
    layers.townships.push(
      feature(t.ring, {
        code: t.code,
        name: t.place,
        tier: 'township',
        parentCode: src.code,
        townshipCode: t.code,
      }),
    );
  }

  for (const t of townships) {
    const isDongcheng = t.place === DONGCHENG.name;
    const villages = src.villages
      .filter((v) => v.townshipCode === t.code)
      .sort((a, b) => a.code.localeCompare(b.code));
    if (villages.length === 0) throw new Error(`${t.code} ${t.place} has no villages in the source`);
    if (isDongcheng && villages.length !== DONGCHENG.first)
      throw new Error(`${DONGCHENG.name} has ${villages.length} villages, the seed says ${DONGCHENG.first}`);
    const cells = partition([t.ring], villages.length, {
      key: `first:${t.code}`,
      segmentMeters: t.urban ? 180 : 300,
    }).cells;
    // Communities (社区, codes below 200) lie nearest the city centre, villages further out.
    const anchor = t.urban ? CITY_CENTRE : centroid(t.ring);
    const byDistance = [...cells].sort((a, b) => metres(centroid(a), anchor) - metres(centroid(b), anchor));
    const firsts: Unit[] = villages.map((v, i) => ({
      code: v.code,
      ring: byDistance[i]!,
      townshipCode: t.code,
      place: placeName(v.name),
      urban: t.urban,
    }));

    const rand = rngFor(`counts:${t.code}`);
    const secondCounts = isDongcheng
      ? apportion(
          DONGCHENG.second,
          firsts.map((f) => polyArea([f.ring])),
          2,
        )
      : firsts.map(() => {
          const r = rand();
          return r < 0.25 ? 2 : r < 0.7 ? 3 : 4;
        });
    const seconds: Unit[] = [];
    firsts.forEach((f, i) => {
      layers.first.push(
        feature(f.ring, {
          code: f.code,
          name: f.place,
          tier: 'first',
          parentCode: t.code,
          townshipCode: t.code,
          staff: staffName(f.code),
        }),
      );
      const cells = partition([f.ring], secondCounts[i]!, {
        key: `second:${f.code}`,
        segmentMeters: f.urban ? 90 : 150,
      }).cells;
      cells.forEach((ring, k) => {
        const code = f.code + String(k + 1).padStart(2, '0');
        seconds.push({ code, ring, townshipCode: t.code, place: f.place, urban: f.urban });
        layers.second.push(
          feature(ring, {
            code,
            name: `${f.place}第${chineseNumber(k + 1)}网格`,
            tier: 'second',
            parentCode: f.code,
            townshipCode: t.code,
            staff: staffName(code),
          }),
        );
      });
    });

    const microCounts = isDongcheng
      ? apportion(
          DONGCHENG.micro,
          seconds.map((s) => polyArea([s.ring])),
          4,
        )
      : seconds.map(() => 7 + Math.floor(rand() * 7));
    seconds.forEach((s, i) => {
      const cells = partition([s.ring], microCounts[i]!, {
        key: `micro:${s.code}`,
        segmentMeters: s.urban ? 45 : 75,
      }).cells;
      const secondNo = Number(s.code.slice(-2));
      cells.forEach((ring, k) => {
        const code = s.code + String(k + 1).padStart(2, '0');
        layers.micro.push(
          feature(ring, {
            code,
            name: `${s.place}${secondNo}-${k + 1}微网格`,
            tier: 'micro',
            parentCode: s.code,
            townshipCode: t.code,
            staff: staffName(code),
          }),
        );
      });
    });

    const places = dedicatedPlaces(t.place);
    if (isDongcheng && places.length !== DONGCHENG.dedicated)
      throw new Error(
        `${DONGCHENG.name} has ${places.length} dedicated sites, the seed says ${DONGCHENG.dedicated}`,
      );
    places.forEach((place, k) => {
      const code = `${t.code}D${String(k + 1).padStart(2, '0')}`;
      const ring = placeDedicated(t, place.kind, code, layers.dedicated);
      layers.dedicated.push(
        feature(ring, {
          code,
          name: `${place.name}专属网格`,
          tier: 'dedicated',
          parentCode: t.code,
          townshipCode: t.code,
          staff: staffName(code),
          kind: place.kind,
        }),
      );
    });
  }

  const collection = (features: Array<Feature<Polygon, UnitProperties>>) => ({
    type: 'FeatureCollection' as const,
    features,
  });
  return {
    county: collection(layers.county),
    townships: collection(layers.townships),
    first: collection(layers.first),
    second: collection(layers.second),
    micro: collection(layers.micro),
    dedicated: collection(layers.dedicated),
  };
}

const DEDICATED_RADIUS_M: Record<DedicatedKind, number> = {
  school: 110,
  market: 90,
  hospital: 100,
  park: 220,
  industrial: 450,
  scenic: 380,
};

/** A blob-shaped site wholly inside its township, apart from the township's other sites. */
function placeDedicated(
  t: Unit,
  kind: DedicatedKind,
  code: string,
  placed: Array<Feature<Polygon, UnitProperties>>,
): Ring {
  const rand = rngFor(`dedicated:${code}`);
  const radius = DEDICATED_RADIUS_M[kind] * (t.urban ? 0.8 : 1);
  const others = placed.filter((f) => f.properties.townshipCode === t.code);
  // Urban sites cluster toward the city centre, where schools and markets are.
  const candidates = samplePoints([t.ring], 200, rand);
  if (t.urban) candidates.sort((a, b) => metres(a, CITY_CENTRE) - metres(b, CITY_CENTRE));
  for (const c of candidates) {
    const ring: Ring = [];
    const sides = 14;
    for (let i = 0; i < sides; i++) {
      const a = (i / sides) * 2 * Math.PI;
      const r = radius * (0.75 + rand() * 0.4);
      ring.push([c[0] + (Math.cos(a) * r) / mPerDegLng(c[1]), c[1] + (Math.sin(a) * r) / M_PER_DEG_LAT]);
    }
    // Cheapest tests first: spacing from the township's other sites, then containment.
    if (others.some((o) => metres(centroid(o.geometry.coordinates[0] as Ring), c) < radius + 500)) continue;
    const clean = cleanRing([...ring, ring[0]!]);
    if (!clean.every(([x, y]) => pointInRings(x, y, [t.ring]))) continue;
    if (polygonClipping.difference([clean], [t.ring]).length > 0) continue;
    if (others.some((o) => polygonClipping.intersection([clean], o.geometry.coordinates as Poly).length > 0))
      continue;
    return clean;
  }
  throw new Error(`no room for dedicated grid ${code} in ${t.code}`);
}
