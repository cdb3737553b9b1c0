import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';

describe('loadConfig', () => {
  it('defaults to port 3000 on all interfaces, SQLite under ./data', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe('0.0.0.0');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.SIMULATOR).toBe(true);
  });

  it('writes 90 days of demo history unless DEMO_HISTORY_DAYS says otherwise (0: none)', () => {
    expect(loadConfig({}).DEMO_HISTORY_DAYS).toBe(90);
    expect(loadConfig({ DEMO_HISTORY_DAYS: '400' }).DEMO_HISTORY_DAYS).toBe(400);
    expect(loadConfig({ DEMO_HISTORY_DAYS: '0' }).DEMO_HISTORY_DAYS).toBe(0);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it('turns SIMULATOR=off into false', () => {
    expect(loadConfig({ SIMULATOR: 'off' }).SIMULATOR).toBe(false);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['SIMULATOR', 'maybe'],
    ['JWT_SECRET', 'short'],
    ['DEMO_HISTORY_DAYS', '-1'],
    ['DEMO_HISTORY_DAYS', '1101'],
    ['DEMO_HISTORY_DAYS', '7.5'],
  ])('names the bad variable %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});
