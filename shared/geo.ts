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

export const jurisdictionSchema = z.object({
  township: unitRefSchema,
  first: unitRefSchema,
  second: unitRefSchema,
  micro: unitRefSchema,
  dedicated: z.array(unitRefSchema),
  /** Within BOUNDARY_METERS of a township boundary: the operator confirms the owner. */
  nearBoundary: z.boolean(),
});
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;

/** Longitude/latitude as accepted at every boundary (WGS84 / CGCS2000 degrees). */
export const lngSchema = z.coerce.number().finite().min(-180).max(180);
export const latSchema = z.coerce.number().finite().min(-90).max(90);
