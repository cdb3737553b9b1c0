// TRUST_PROXY: which reverse proxies' X-Forwarded-For gives the client's address (server/config.ts).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';

describe('TRUST_PROXY', () => {
  it('trusts loopback by default (a proxy on the same host)', () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toEqual(['loopback']);
  });

  it('takes a hop count', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(0);
  });

  it('takes a comma list of addresses, CIDR ranges and the names proxy-addr knows', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.0.0/8,fd00::/8, ::1,loopback' }).TRUST_PROXY).toEqual([
      '10.0.0.5',
      '10.0.0.0/8',
      'fd00::/8',
      '::1',
      'loopback',
    ]);
    expect(loadConfig({ TRUST_PROXY: 'uniquelocal,linklocal' }).TRUST_PROXY).toEqual([
      'uniquelocal',
      'linklocal',
    ]);
  });

  it.each([
    'true',
    'all',
    '10.0.0.0/33',
    '::/129',
    '10.0.0',
    '10.0.0.1/8/8',
    'loopback,',
    '-1',
    '100',
    '1.5',
  ])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY=/);
  });
});
