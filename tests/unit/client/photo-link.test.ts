// Which photo URLs a page may offer as a link: http and https, nothing that runs or embeds.
import { describe, expect, it } from 'vitest';
import { photoLink } from '../../../client/src/lib/photo-link';

describe('photoLink', () => {
  it('links http and https URLs', () => {
    expect(photoLink('https://12345.gaoping.example/a.jpg')).toBe('https://12345.gaoping.example/a.jpg');
    expect(photoLink('http://10.1.2.3:8080/p?id=7')).toBe('http://10.1.2.3:8080/p?id=7');
  });

  it('links nothing else', () => {
    for (const u of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:image/png;base64,AAAA',
      'p1.jpg',
      'ftp://x/a.jpg',
      '',
    ])
      expect(photoLink(u), u).toBeNull();
  });
});
