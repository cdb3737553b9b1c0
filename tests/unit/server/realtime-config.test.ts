// The real-time and scale-out settings: the slow-client limit and the overdue scan interval.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';

describe('SOCKET_MAX_BUFFER_MB and DEADLINE_SCAN_MS', () => {
  it('default to 4 MB per connection and a scan every 15 s', () => {
    const c = loadConfig({});
    expect(c.SOCKET_MAX_BUFFER_MB).toBe(16);
    expect(c.DEADLINE_SCAN_MS).toBe(15_000);
    expect(c.SOCKET_RECOVERY_BUFFER_MB).toBe(32);
  });

  it('take fractions of a MB, 0 (no limit), and whole milliseconds', () => {
    expect(loadConfig({ SOCKET_MAX_BUFFER_MB: '0.5' }).SOCKET_MAX_BUFFER_MB).toBe(0.5);
    expect(loadConfig({ SOCKET_MAX_BUFFER_MB: '0' }).SOCKET_MAX_BUFFER_MB).toBe(0);
    expect(loadConfig({ DEADLINE_SCAN_MS: '60000' }).DEADLINE_SCAN_MS).toBe(60_000);
    expect(loadConfig({ DEADLINE_SCAN_MS: '' }).DEADLINE_SCAN_MS).toBe(15_000);
    expect(loadConfig({ SOCKET_RECOVERY_BUFFER_MB: '128' }).SOCKET_RECOVERY_BUFFER_MB).toBe(128);
  });

  it.each([
    ['SOCKET_MAX_BUFFER_MB', 'lots'],
    ['SOCKET_MAX_BUFFER_MB', '-1'],
    ['SOCKET_MAX_BUFFER_MB', '0.001'],
    ['SOCKET_MAX_BUFFER_MB', '4096'],
    ['SOCKET_RECOVERY_BUFFER_MB', '0'],
    ['SOCKET_RECOVERY_BUFFER_MB', 'big'],
    ['DEADLINE_SCAN_MS', '15s'],
    ['DEADLINE_SCAN_MS', '999'],
    ['DEADLINE_SCAN_MS', '1500.5'],
    ['DEADLINE_SCAN_MS', '7200000'],
  ])('refuse %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}="${value}"`));
  });
});
