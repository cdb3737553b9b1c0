// BASEMAP is checked when the server starts (a typo stops the start, naming the variable) and the
// tile hosts it names are what the CSP lets the browser fetch from.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';
import { basemapTileOrigins } from '../../../server/geo/basemap';

describe('BASEMAP', () => {
  it.each([
    ['offline', {}],
    ['tianditu-vec', { TIANDITU_KEY: 'k' }],
    ['tianditu-img', { TIANDITU_KEY: 'k' }],
    ['xyz:https://tiles.example.cn/{z}/{x}/{y}.png', {}],
    ['pmtiles:/tiles/gaoping.pmtiles', {}],
  ])('accepts %s', (basemap, extra) => {
    expect(loadConfig({ BASEMAP: basemap, ...extra }).BASEMAP).toBe(basemap);
  });

  it('defaults to the offline basemap', () => {
    expect(loadConfig({}).BASEMAP).toBe('offline');
  });

  it.each([
    ['tianditu-sat', {}],
    ['xyz:https://tiles.example.cn/{z}/{x}.png', {}],
    ['xyz:ftp://tiles.example.cn/{z}/{x}/{y}.png', {}],
    ['tianditu-img', {}],
  ])('refuses %s, naming BASEMAP', (basemap, extra) => {
    expect(() => loadConfig({ BASEMAP: basemap, ...extra })).toThrow(ConfigError);
    expect(() => loadConfig({ BASEMAP: basemap, ...extra })).toThrow(/BASEMAP=/);
  });

  it('names the tile hosts for the CSP, none for our own files', () => {
    expect(basemapTileOrigins('offline')).toEqual([]);
    expect(basemapTileOrigins('pmtiles:/tiles/gaoping.pmtiles')).toEqual([]);
    expect(basemapTileOrigins('tianditu-img')).toEqual(['https://*.tianditu.gov.cn']);
    expect(basemapTileOrigins('xyz:https://tiles.example.cn/{z}/{x}/{y}.png')).toEqual([
      'https://tiles.example.cn',
    ]);
    expect(basemapTileOrigins('xyz:http://{s}.tile.example.org/{z}/{x}/{y}.png')).toEqual([
      'http://*.tile.example.org',
    ]);
    expect(basemapTileOrigins('pmtiles:https://cdn.example.cn/g.pmtiles')).toEqual([
      'https://cdn.example.cn',
    ]);
  });
});
