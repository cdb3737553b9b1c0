// Validates a county pack: files, properties, geometry, the code chain, and that every tier tiles
// its parent. Each problem names the codes involved and a location, so a county can fix its data.
import fs from 'node:fs';
import path from 'node:path';
import polygonClipping from 'polygon-clipping';
import {
  GEO_LAYERS,
  LAYER_FILES,
  unitPropertiesSchema,
  type GeoLayer,
  type Tier,
  type UnitProperties,
} from '../../shared/geo';
import {
  bboxOf,
  centroid,
  mPerDegLng,
  M_PER_DEG_LAT,
  pointInRings,
  polyArea,
  selfIntersections,
  signedArea,
  type Poly,
  type Position,
  type Ring,
} from './geometry';

export type ProblemKind =
  | 'file'
  | 'json'
  | 'schema'
  | 'tier'
  | 'geometry'
  | 'self-intersection'
  | 'winding'
  | 'precision'
  | 'duplicate-code'
  | 'orphan'
  | 'wrong-parent'
  | 'code-prefix'
  | 'township'
  | 'outside-parent'
  | 'gap'
  | 'overlap'
  | 'size';

export interface Problem {
  kind: ProblemKind;
  /** The units involved, most specific first. */
  codes: string[];
  /** A point at or inside the defect, [lng, lat]. */
  at?: Position;
  file?: string;
  message: string;
}

/** Gaps and overlaps up to this share of the parent's area are rounding, not defects. */
export const TILING_TOLERANCE = 1e-4;
export const MAX_PACK_BYTES = 15 * 1024 * 1024;

const LAYER_TIER: Record<GeoLayer, Tier> = {
  county: 'county',
  townships: 'township',
  first: 'first',
  second: 'second',
  micro: 'micro',
  dedicated: 'dedicated',
};
const PARENT_TIER: Partial<Record<Tier, Tier>> = {
  township: 'county',
  first: 'township',
  second: 'first',
  micro: 'second',
  dedicated: 'township',
};

const TIER_LABEL: Record<Tier, string> = {
  county: 'county',
  township: 'township',
  first: 'first-level grid',
  second: 'second-level grid',
  micro: 'micro-grid',
  dedicated: 'dedicated grid',
};

interface Unit {
  props: UnitProperties;
  polys: Poly[];
  file: string;
  valid: boolean;
}

export function formatProblem(p: Problem): string {
  const at = p.at ? ` at ${p.at[0].toFixed(6)},${p.at[1].toFixed(6)}` : '';
  const codes = p.codes.length ? ` [${p.codes.join(', ')}]` : '';
  const file = p.file ? ` (${p.file})` : '';
  return `${p.kind}${codes}${at}: ${p.message}${file}`;
}

/** Read and check the six layer files of a pack folder. */
export async function checkPackDir(dir: string): Promise<Problem[]> {
  const texts: Partial<Record<GeoLayer, string>> = {};
  const problems: Problem[] = [];
  let bytes = 0;
  for (const layer of GEO_LAYERS) {
    const file = LAYER_FILES[layer];
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) {
      problems.push({ kind: 'file', codes: [], file, message: `missing layer file ${file}` });
      continue;
    }
    const text = await fs.promises.readFile(full, 'utf8');
    bytes += Buffer.byteLength(text);
    texts[layer] = text;
  }
  if (bytes > MAX_PACK_BYTES)
    problems.push({
      kind: 'size',
      codes: [],
      message: `layers total ${(bytes / 1e6).toFixed(1)} MB, over 15 MB`,
    });
  return [...problems, ...checkLayerTexts(texts)];
}

export function checkLayerTexts(texts: Partial<Record<GeoLayer, string>>): Problem[] {
  const problems: Problem[] = [];
  const units: Unit[] = [];
  for (const layer of GEO_LAYERS) {
    const text = texts[layer];
    if (text === undefined) continue;
    const file = LAYER_FILES[layer];
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      problems.push({ kind: 'json', codes: [], file, message: `not JSON: ${(err as Error).message}` });
      continue;
    }
    const fc = doc as { type?: unknown; features?: unknown };
    if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
      problems.push({ kind: 'json', codes: [], file, message: 'not a GeoJSON FeatureCollection' });
      continue;
    }
    fc.features.forEach((f: unknown, i: number) => {
      const unit = readFeature(f, i, layer, file, problems);
      if (unit) units.push(unit);
    });
  }
  checkCodes(units, problems);
  checkTiling(units, problems);
  return problems;
}

const isPosition = (p: unknown): p is Position =>
  Array.isArray(p) &&
  p.length >= 2 &&
  Number.isFinite(p[0]) &&
  Number.isFinite(p[1]) &&
  Math.abs(p[0] as number) <= 180 &&
  Math.abs(p[1] as number) <= 90;

const moreThan6Decimals = (v: number) => Math.abs(Math.round(v * 1e6) / 1e6 - v) > 1e-9;

function readFeature(f: unknown, i: number, layer: GeoLayer, file: string, problems: Problem[]): Unit | null {
  const feat = f as {
    type?: unknown;
    properties?: unknown;
    geometry?: { type?: unknown; coordinates?: unknown };
  };
  if (feat?.type !== 'Feature') {
    problems.push({ kind: 'json', codes: [], file, message: `features[${i}] is not a GeoJSON Feature` });
    return null;
  }
  const parsed = unitPropertiesSchema.safeParse(feat.properties);
  const rawCode = (feat.properties as { code?: unknown } | null)?.code;
  const label = typeof rawCode === 'string' ? rawCode : `features[${i}]`;
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    problems.push({
      kind: 'schema',
      codes: [label],
      file,
      message: `properties.${issue.path.join('.')}: ${issue.message}`,
    });
    return null;
  }
  const props = parsed.data;
  if (props.tier !== LAYER_TIER[layer]) {
    problems.push({
      kind: 'tier',
      codes: [props.code],
      file,
      message: `tier "${props.tier}" in the ${layer} layer`,
    });
  }
  const g = feat.geometry;
  let polys: unknown[];
  if (g?.type === 'Polygon') polys = [g.coordinates];
  else if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates)) polys = g.coordinates;
  else {
    problems.push({
      kind: 'geometry',
      codes: [props.code],
      file,
      message: `geometry must be a Polygon or MultiPolygon`,
    });
    return null;
  }
  let valid = true;
  const out: Poly[] = [];
  for (const poly of polys) {
    if (!Array.isArray(poly) || poly.length === 0) {
      problems.push({ kind: 'geometry', codes: [props.code], file, message: 'polygon without rings' });
      valid = false;
      continue;
    }
    const rings: Ring[] = [];
    poly.forEach((ring: unknown, r: number) => {
      if (!Array.isArray(ring) || !ring.every(isPosition)) {
        problems.push({
          kind: 'geometry',
          codes: [props.code],
          file,
          message: `ring ${r} has an invalid position`,
        });
        valid = false;
        return;
      }
      const pts = ring as Ring;
      const first = pts[0],
        last = pts[pts.length - 1];
      if (pts.length < 4) {
        problems.push({
          kind: 'geometry',
          codes: [props.code],
          at: first,
          file,
          message: `ring ${r} has fewer than 4 positions`,
        });
        valid = false;
        return;
      }
      if (first![0] !== last![0] || first![1] !== last![1]) {
        problems.push({
          kind: 'geometry',
          codes: [props.code],
          at: first,
          file,
          message: `ring ${r} is not closed`,
        });
        valid = false;
        return;
      }
      const ccw = signedArea(pts) > 0;
      if (ccw !== (r === 0)) {
        problems.push({
          kind: 'winding',
          codes: [props.code],
          at: first,
          file,
          message: `ring ${r} is ${ccw ? 'counter-clockwise' : 'clockwise'}; RFC 7946 wants exterior rings counter-clockwise, holes clockwise`,
        });
      }
      const fine = pts.find((p) => moreThan6Decimals(p[0]) || moreThan6Decimals(p[1]));
      if (fine)
        problems.push({
          kind: 'precision',
          codes: [props.code],
          at: fine,
          file,
          message: 'coordinates beyond 6 decimals',
        });
      const kinks = selfIntersections(pts, 1);
      if (kinks.length > 0) {
        problems.push({
          kind: 'self-intersection',
          codes: [props.code],
          at: kinks[0],
          file,
          message: `ring ${r} crosses itself`,
        });
        valid = false;
      }
      rings.push(pts.map((p) => [p[0], p[1]] as Position));
    });
    out.push(rings);
  }
  return { props, polys: out, file, valid };
}

function checkCodes(units: Unit[], problems: Problem[]) {
  const byCode = new Map<string, Unit>();
  for (const u of units) {
    const prev = byCode.get(u.props.code);
    if (prev) {
      problems.push({
        kind: 'duplicate-code',
        codes: [u.props.code],
        at: u.polys[0]?.[0]?.[0],
        file: u.file,
        message: `code also used by a ${prev.props.tier} in ${prev.file}`,
      });
    } else byCode.set(u.props.code, u);
  }
  for (const u of units) {
    const { code, tier, parentCode, townshipCode } = u.props;
    const at = u.valid ? representativePoint(u.polys) : undefined;
    const parentTier = PARENT_TIER[tier];
    if (!parentTier) {
      if (townshipCode !== null)
        problems.push({
          kind: 'township',
          codes: [code],
          file: u.file,
          message: 'the county has townshipCode null',
        });
      continue;
    }
    const parent = byCode.get(parentCode);
    if (!parent) {
      problems.push({
        kind: 'orphan',
        codes: [code, parentCode],
        at,
        file: u.file,
        message: `parent ${parentCode} does not exist`,
      });
    } else if (parent.props.tier !== parentTier) {
      problems.push({
        kind: 'wrong-parent',
        codes: [code, parentCode],
        at,
        file: u.file,
        message: `parent ${parentCode} is a ${TIER_LABEL[parent.props.tier]}; a ${TIER_LABEL[tier]} belongs to a ${TIER_LABEL[parentTier]}`,
      });
    }
    if (!code.startsWith(parentCode) || code.length <= parentCode.length) {
      problems.push({
        kind: 'code-prefix',
        codes: [code, parentCode],
        at,
        file: u.file,
        message: `code does not extend parentCode ${parentCode}`,
      });
    }
    const expected =
      tier === 'township'
        ? code
        : parent?.props.tier === 'township'
          ? parent.props.code
          : parent?.props.townshipCode;
    if (expected !== undefined && townshipCode !== expected) {
      problems.push({
        kind: 'township',
        codes: [code],
        at,
        file: u.file,
        message: `townshipCode ${townshipCode} but its parent chain says ${expected}`,
      });
    }
  }
}

/** A point inside the largest polygon (its centroid when that falls inside). */
function representativePoint(polys: Poly[]): Position | undefined {
  const main = [...polys].sort((a, b) => polyArea(b) - polyArea(a))[0];
  if (!main?.[0]) return undefined;
  const c = centroid(main[0]);
  if (pointInRings(c[0], c[1], main)) return c;
  // Scan a horizontal line through the bbox middle for the midpoint of the first inside span.
  const [x0, y0, x1, y1] = bboxOf(main);
  const y = (y0 + y1) / 2;
  for (let k = 1; k < 200; k++) {
    const x = x0 + ((x1 - x0) * k) / 200;
    if (pointInRings(x, y, main)) return [x, y];
  }
  return main[0][0];
}

const m2 = (degArea: number, lat: number) => degArea * mPerDegLng(lat) * M_PER_DEG_LAT;
const mpArea = (mp: Poly[]) => mp.reduce((a, p) => a + polyArea(p), 0);

function boxesTouch(a: number[], b: number[], pad = 0) {
  return a[0]! - pad <= b[2]! && b[0]! - pad <= a[2]! && a[1]! - pad <= b[3]! && b[1]! - pad <= a[3]!;
}

function checkTiling(units: Unit[], problems: Problem[]) {
  const byCode = new Map(units.map((u) => [u.props.code, u]));
  const children = new Map<string, Unit[]>();
  for (const u of units) {
    if (!u.valid || u.props.tier === 'county') continue;
    const parent = byCode.get(u.props.parentCode);
    if (!parent?.valid || parent.props.tier !== PARENT_TIER[u.props.tier]) continue;
    const list = children.get(parent.props.code) ?? [];
    list.push(u);
    children.set(parent.props.code, list);
  }
  for (const [parentCode, all] of children) {
    const parent = byCode.get(parentCode)!;
    const parentArea = mpArea(parent.polys);
    const tol = parentArea * TILING_TOLERANCE;
    const lat = centroid(parent.polys[0]![0]!)[1];
    const report = (p: Omit<Problem, 'file'>) => problems.push({ ...p, file: all[0]?.file });
    try {
      // Dedicated grids overlay the regular tiers: they only have to lie inside their township.
      for (const tierGroup of ['regular', 'dedicated'] as const) {
        const kids = all.filter((u) => (u.props.tier === 'dedicated') === (tierGroup === 'dedicated'));
        if (kids.length === 0) continue;
        const union = polygonClipping.union(kids[0]!.polys, ...kids.slice(1).map((k) => k.polys)) as Poly[];
        const outside = polygonClipping.difference(union, parent.polys) as Poly[];
        if (mpArea(outside) > tol) {
          for (const k of kids) {
            const out = polygonClipping.difference(k.polys, parent.polys) as Poly[];
            const a = mpArea(out);
            if (a > Math.min(tol, mpArea(k.polys) * TILING_TOLERANCE))
              report({
                kind: 'outside-parent',
                codes: [k.props.code, parentCode],
                at: representativePoint(out),
                message: `${Math.round(m2(a, lat))} m² lies outside its parent ${parentCode}`,
              });
          }
        }
        if (tierGroup === 'dedicated') continue;
        const overlapArea = mpArea(kids.flatMap((k) => k.polys)) - mpArea(union);
        if (overlapArea > tol) {
          const boxes = kids.map((k) => bboxOf(k.polys.flat()));
          for (let i = 0; i < kids.length; i++)
            for (let j = i + 1; j < kids.length; j++) {
              if (!boxesTouch(boxes[i]!, boxes[j]!)) continue;
              const inter = polygonClipping.intersection(kids[i]!.polys, kids[j]!.polys) as Poly[];
              const a = mpArea(inter);
              if (a > tol / 100)
                report({
                  kind: 'overlap',
                  codes: [kids[i]!.props.code, kids[j]!.props.code],
                  at: representativePoint(inter),
                  message: `overlap of ${Math.round(m2(a, lat))} m² inside ${parentCode}`,
                });
            }
        }
        const gaps = polygonClipping.difference(parent.polys, union) as Poly[];
        const gapArea = mpArea(gaps);
        if (gapArea > tol) {
          const boxes = kids.map((k) => bboxOf(k.polys.flat()));
          const pieces = gaps
            .filter((g) => polyArea(g) > gapArea / 100)
            .sort((a, b) => polyArea(b) - polyArea(a));
          for (const g of pieces.slice(0, 5)) {
            const box = bboxOf(g);
            const pad = Math.max(box[2] - box[0], box[3] - box[1]) * 0.05;
            const around = kids.filter((_, i) => boxesTouch(boxes[i]!, box, pad)).map((k) => k.props.code);
            report({
              kind: 'gap',
              codes: [parentCode, ...around.slice(0, 6)],
              at: representativePoint([g]),
              message: `${Math.round(m2(polyArea(g), lat))} m² of ${parentCode} is covered by no ${TIER_LABEL[kids[0]!.props.tier]} (gaps total ${((gapArea / parentArea) * 100).toFixed(3)} % of the parent)`,
            });
          }
        }
      }
    } catch (err) {
      report({
        kind: 'geometry',
        codes: [parentCode],
        at: representativePoint(parent.polys),
        message: `could not compare ${parentCode} with its children: ${(err as Error).message}`,
      });
    }
  }
}
