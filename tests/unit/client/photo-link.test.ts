// How a photo URL is shown: ours fetched with the token, this server's other pictures and data:
// images as images, another host's http(s) as a link, nothing that runs.
import { describe, expect, it } from 'vitest';
import { photoSource } from '../../../client/src/lib/photo-link';

const ORIGIN = 'http://10.0.0.5:3000';

describe('photoSource', () => {
  it("fetches our API's photos with the token, by path or by full URL to this server", () => {
    expect(photoSource('/api/cases/c1/photos/p1', ORIGIN)).toEqual({
      kind: 'api',
      path: '/api/cases/c1/photos/p1',
    });
    expect(photoSource(`${ORIGIN}/api/cases/c1/photos/p1`, ORIGIN)).toEqual({
      kind: 'api',
      path: '/api/cases/c1/photos/p1',
    });
  });

  it("shows this server's other pictures and data: images as images", () => {
    expect(photoSource('/uploads/a.jpg', ORIGIN)).toEqual({ kind: 'image', url: '/uploads/a.jpg' });
    expect(photoSource('data:image/png;base64,AAAA', ORIGIN)).toEqual({
      kind: 'image',
      url: 'data:image/png;base64,AAAA',
    });
  });

  it("links another host's http and https photos", () => {
    expect(photoSource('https://12345.gaoping.example/a.jpg', ORIGIN)).toEqual({
      kind: 'link',
      url: 'https://12345.gaoping.example/a.jpg',
    });
    expect(photoSource('http://10.1.2.3:8080/p?id=7', ORIGIN)).toEqual({
      kind: 'link',
      url: 'http://10.1.2.3:8080/p?id=7',
    });
    expect(photoSource('//evil.example/a.jpg', ORIGIN)).toEqual({ kind: 'none' });
  });

  it('links nothing else', () => {
    for (const u of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'p1.jpg',
      'ftp://x/a.jpg',
      '',
    ])
      expect(photoSource(u, ORIGIN), u).toEqual({ kind: 'none' });
  });
});
