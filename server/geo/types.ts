// The jurisdiction index as the rest of the server sees it. Implemented in this folder.
import type { FeatureCollection } from 'geojson';
import type { GeoLayer, Jurisdiction, UnitRef } from '../../shared/geo';

export interface GeoIndex {
  /** The units containing the point, or null outside the county. */
  locate(lng: number, lat: number): Jurisdiction | null;
  /** The county and its townships, in code order. */
  county: UnitRef;
  townships: UnitRef[];
  /** Any unit by code (township, first, second, micro, dedicated), with its centroid. */
  unit(
    code: string,
  ): (UnitRef & { tier: string; townshipCode: string; centroid: [number, number] }) | undefined;
  /** A layer as it is served to the map. */
  layer(name: GeoLayer): FeatureCollection;
}
