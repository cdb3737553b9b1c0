import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, shownValue } from '../../../server/config';

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

  it('shows no secret value: DEMO_PASSWORD and TIANDITU_KEY are named with their length only', () => {
    expect(shownValue('DEMO_PASSWORD', 'letmein')).toBe('(hidden, 7 characters)');
    expect(shownValue('TIANDITU_KEY', 'abc123')).toBe('(hidden, 6 characters)');
    expect(shownValue('PORT', 'abc')).toBe('"abc"');
  });

  it('hides a short JWT_SECRET, telling its length', () => {
    expect(() => loadConfig({ JWT_SECRET: 'hunter2-secret' })).toThrow(
      /JWT_SECRET=\(hidden, 14 characters\): must be at least 32 characters/,
    );
    expect(() => loadConfig({ JWT_SECRET: 'hunter2-secret' })).not.toThrow(/hunter2/);
  });

  it('masks the password of a bad DATABASE_URL or REDIS_URL', () => {
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://app:pa55word@db/x', REDIS_URL: 'http://:r3dis@cache:6379' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('DATABASE_URL="mysql://app:***@db/x"');
    expect(message).toContain('REDIS_URL="http://:***@cache:6379"');
    expect(message).not.toMatch(/pa55word|r3dis/);
  });

  it("says what is wrong in plain words, not zod's", () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT="abc": must be a number$/);
    expect(() => loadConfig({ PORT: '7.5' })).toThrow(/PORT="7.5": must be a whole number$/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT="70000": must be at most 65535$/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL="loud": must be one of .*debug/);
  });
});
