// `npm run sim -- …`: sensible defaults, both rate units, and errors that say what is wrong.
import { describe, expect, it } from 'vitest';
import { SimArgsError, parseRate, parseSimArgs } from '../../../server/simulator/args';

describe('simulator options', () => {
  it('defaults to the local server, a clue every 5 s, one minute', () => {
    expect(parseSimArgs([])).toEqual({
      url: 'http://127.0.0.1:3000',
      ratePerMinute: 12,
      durationSeconds: 60,
      password: 'demo',
      seed: undefined,
      workflow: true,
      teams: true,
      quiet: false,
    });
    expect(parseSimArgs([], { DEMO_PASSWORD: 's3cret' })).toMatchObject({ password: 's3cret' });
  });

  it('reads every option, with a space or an equals sign', () => {
    expect(
      parseSimArgs([
        '--url',
        'http://10.0.0.5:3000/',
        '--rate=50',
        '--duration',
        '30',
        '--seed',
        '7',
        '--no-workflow',
        '--no-teams',
        '--quiet',
      ]),
    ).toMatchObject({
      url: 'http://10.0.0.5:3000',
      ratePerMinute: 50,
      durationSeconds: 30,
      seed: 7,
      workflow: false,
      teams: false,
      quiet: true,
    });
    expect(parseSimArgs(['--help'])).toBe('help');
  });

  it('takes the rate per minute, or per second with /s', () => {
    expect(parseRate('50')).toBe(50);
    expect(parseRate('50/min')).toBe(50);
    expect(parseRate('5/s')).toBe(300);
    expect(parseRate('0.5/s')).toBe(30);
  });

  it.each([
    [['--rate', '0'], /--rate must be more than 0/],
    [['--rate', 'fast'], /--rate must be a number of clues per minute/],
    [['--rate', '20000/s'], /at most/],
    [['--duration', '0'], /--duration must be a number of seconds from 1 to 86400/],
    [['--duration', 'forever'], /--duration/],
    [['--url', 'localhost:3000'], /--url must start with http:\/\//],
    [['--url', 'https://example.org'], /--url must start with http:\/\//],
    [['--url', 'http://h:1/api'], /without a path/],
    [['--url'], /--url needs a value/],
    [['--rate', '--duration', '5'], /--rate needs a value/],
    [['--seed', '-1'], /--seed must be a whole number/],
    [['--speed', '2'], /unknown option --speed; known: --url/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSimArgs(argv as string[])).toThrow(SimArgsError);
    expect(() => parseSimArgs(argv as string[])).toThrow(message);
  });
});
