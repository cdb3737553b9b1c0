// HTTP for the county model: which units contain a point, and the map layers.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { CLIENT_BUILD_HEADER } from '../../shared/build';
import { GEO_LAYERS, type GeoLayer } from '../../shared/geo';
import { queryObject } from '../../shared/query';
import type { AppContext } from '../context';
import { notFound, parseWith } from '../http/errors';
import type { GeoIndex } from './types';
import type { MapConfig } from './basemap';

const gzip = promisify(zlib.gzip);

// A query parameter arrives as a string: a missing, repeated, empty or non-decimal one (`0x70`,
// `1e2`, `Infinity`, ` 112.9`, `+112.9`: decimal degrees are digits, a point and a minus sign for the
// west or south, nothing around them) is refused, not read as 0 or NaN, and each refusal says which
// it was.
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;
const coordinate = (limit: number) =>
  z.unknown().transform((v, ctx): number => {
    const refuse = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (v === undefined) return refuse('is required (decimal degrees)');
    if (typeof v !== 'string') return refuse('must be given once');
    if (!v.trim()) return refuse('is empty');
    if (v.length > 32 || !DECIMAL.test(v)) return refuse('is not a decimal number of degrees');
    const n = Number(v);
    if (n < -limit || n > limit) return refuse(`is out of range: ${-limit} to ${limit} degrees`);
    return n;
  });

/** Longitude/latitude limits (WGS84 / CGCS2000 degrees), strict about what a query string may hold. */
export const jurisdictionQuerySchema = queryObject({ lng: coordinate(180), lat: coordinate(90) });

interface LayerAsset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

// One serialization, hash and gzip per layer and index, made on first request and then reused.
const assets = new WeakMap<GeoIndex, Map<GeoLayer, Promise<LayerAsset>>>();

export function layerAsset(geo: GeoIndex, layer: GeoLayer): Promise<LayerAsset> {
  let perIndex = assets.get(geo);
  if (!perIndex) assets.set(geo, (perIndex = new Map()));
  let asset = perIndex.get(layer);
  if (!asset) {
    const raw = (geo as { rawLayer?: (l: GeoLayer) => Buffer | undefined }).rawLayer?.(layer);
    const body = raw ?? Buffer.from(JSON.stringify(geo.layer(layer)));
    asset = gzip(body).then((gzipped) => ({
      body,
      gzipped,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
    }));
    asset.catch(() => perIndex.delete(layer));
    perIndex.set(layer, asset);
  }
  return asset;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export function geoRouter(ctx: AppContext): Router {
  const router = Router();
  // Public for now: the map layers are not secret. The auth middleware (requireAuth) goes here.

  router.get('/jurisdiction', (req: Request, res: Response) => {
    const { lng, lat } = parseWith(jurisdictionQuerySchema, req.query, 'query');
    const found = ctx.geo.locate(lng, lat);
    if (!found) throw notFound(`(${lng}, ${lat}) is outside ${ctx.geo.county.name}`);
    res.json(found);
  });

  // The basemap by configuration (BASEMAP, TIANDITU_KEY), read by the map when it starts: changing
  // it takes a restart of the server, not a rebuild of the client. The Tianditu key is a browser
  // key (it travels in every tile URL), not a secret.
  router.get('/map-config', (_req: Request, res: Response) => {
    const body: MapConfig = { basemap: ctx.config.BASEMAP, tiandituKey: ctx.config.TIANDITU_KEY ?? null };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });

  router.get('/geo/:layer', async (req: Request, res: Response) => {
    const layer = req.params.layer as GeoLayer;
    if (!(GEO_LAYERS as readonly string[]).includes(layer))
      throw notFound(`No map layer "${layer}"; layers: ${GEO_LAYERS.join(', ')}`);
    const asset = await layerAsset(ctx.geo, layer);
    res.setHeader('ETag', asset.etag);
    // The pack changes only with a deploy; clients revalidate cheaply with If-None-Match.
    res.setHeader('Cache-Control', 'public, max-age=300, must-revalidate');
    res.setHeader('Vary', 'Accept-Encoding');
    // Read from the browser's cache for five minutes, it would name the build served when it was
    // fetched: a page of the release before, told of the new one, read that as the old build again.
    res.removeHeader(CLIENT_BUILD_HEADER);
    if (etagMatches(req.get('If-None-Match'), asset.etag)) {
      res.status(304).end();
      return;
    }
    res.type('application/geo+json');
    const acceptsGzip = /\bgzip\b/.test(req.get('Accept-Encoding') ?? '');
    // Setting Content-Encoding makes the app-wide compression middleware leave the body alone.
    if (acceptsGzip) res.setHeader('Content-Encoding', 'gzip');
    const body = acceptsGzip ? asset.gzipped : asset.body;
    res.setHeader('Content-Length', String(body.length));
    res.end(req.method === 'HEAD' ? undefined : body);
  });

  return router;
}
