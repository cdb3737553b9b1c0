// What a located point is: the chain of units containing it. Shared by the server (routing, API)
// and the client (dispatch panel, map).
import { z } from 'zod';

export const TIERS = ['county', 'township', 'first', 'second', 'micro', 'dedicated'] as const;
export type Tier = (typeof TIERS)[number];
/** Tiers served as map layers by GET /api/geo/:layer. */
export const GEO_LAYERS = ['county', 'townships', 'first', 'second', 'micro', 'dedicated'] as const;
export type GeoLayer = (typeof GEO_LAYERS)[number];

export const unitRefSchema = z.object({ code: z.string(), name: z.string() });
export type UnitRef = z.infer<typeof unitRefSchema>;

/** The township across the boundary from a point near it, and how far that boundary is. */
export const boundaryNeighbourSchema = z.object({
  township: unitRefSchema,
  /** Metres from the point to the neighbour's boundary, rounded to the metre. */
  meters: z.number().int().nonnegative(),
});
export type BoundaryNeighbour = z.infer<typeof boundaryNeighbourSchema>;

export const jurisdictionSchema = z.object({
  township: unitRefSchema,
  first: unitRefSchema,
  second: unitRefSchema,
  micro: unitRefSchema,
  dedicated: z.array(unitRefSchema),
  /**
   * Within BOUNDARY_METERS of ANOTHER township's boundary (not of the county's outline, which has
   * no township beyond it): the operator confirms the owner.
   */
  nearBoundary: z.boolean(),
  /**
   * With nearBoundary: the nearest other township and the distance to its boundary. Absent on
   * cases located before it was recorded (they say only "near a boundary").
   */
  neighbour: boundaryNeighbourSchema.optional(),
});
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;

/** Properties of every feature in a county pack (geo/<county>/*.geojson). */
export const unitPropertiesSchema = z.object({
  /** GB/T 2260 for county, township and first-level grid; each tier appends to its parent's code. */
  code: z.string().min(1),
  name: z.string().min(1),
  tier: z.enum(TIERS),
  /** The unit one tier up (for dedicated grids: the township; for the county: its prefecture). */
  parentCode: z.string().min(1),
  /** The township the unit lies in; null for the county itself. */
  townshipCode: z.string().min(1).nullable(),
  /** The grid's one worker: 网格长 (first), 网格员 (second, dedicated), 网格辅助员 (micro). */
  staff: z.string().min(1).optional(),
  /** Dedicated grids only: what the place is. */
  kind: z.enum(['school', 'market', 'hospital', 'park', 'industrial', 'scenic']).optional(),
});
export type UnitProperties = z.infer<typeof unitPropertiesSchema>;

/** The pack file behind each map layer. */
export const LAYER_FILES: Record<GeoLayer, string> = {
  county: 'county.geojson',
  townships: 'townships.geojson',
  first: 'grids-first.geojson',
  second: 'grids-second.geojson',
  micro: 'grids-micro.geojson',
  dedicated: 'grids-dedicated.geojson',
};
