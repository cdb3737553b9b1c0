import { describe, expect, it } from 'vitest';
import { portMessage } from '../../../server/main';

describe('the early port check says what to do for each error', () => {
  it.each([
    ['EADDRINUSE', /port 3000 on 0\.0\.0\.0 is in use \(EADDRINUSE\): stop what listens there/],
    [
      'EADDRNOTAVAIL',
      /cannot listen on 0\.0\.0\.0 \(EADDRNOTAVAIL\): it is not an address of this machine; set HOST/,
    ],
    [
      'EACCES',
      /not allowed to listen on port 3000 on 0\.0\.0\.0 \(EACCES\): ports below 1024 need privileges; set PORT to 1024 or above/,
    ],
    ['ENOTFOUND', /no such host name; set HOST/],
    ['EWHATEVER', /cannot listen on port 3000 on 0\.0\.0\.0 \(EWHATEVER\): check HOST and PORT/],
  ])('%s', (code, expected) => {
    expect(portMessage(3000, '0.0.0.0', code)).toMatch(expected);
    if (code !== 'EADDRINUSE') expect(portMessage(3000, '0.0.0.0', code)).not.toContain('in use');
  });
});
