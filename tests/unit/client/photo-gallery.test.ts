// The photo viewer's list of a case's photos: reported first, then each merged report's, then the
// timeline's (evidence, rectification photos), each once, with where it came from and when; only
// those the page can show (another host's open as a link, a stored script nowhere).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { casePhotos, eventPhotos } from '../../../client/src/lib/photo-gallery';
import { holdPhoto } from '../../../client/src/lib/photo-blobs';

const ORIGIN = 'http://10.0.0.5:3000';

describe('casePhotos', () => {
  it('lists reported, merged and timeline photos in the order the pages show them, each once', () => {
    const photos = casePhotos(
      {
        photos: ['/api/cases/c1/photos/a', 'https://12345.example/x.jpg', 'javascript:alert(1)'],
        createdAt: 1000,
        mergedFrom: [{ id: 'dup-0001-long', no: '', createdAt: 1500, photos: ['/api/cases/d1/photos/m'] }],
        timeline: [
          { type: 'created', at: 1000, payload: {} },
          { type: 'report_rectified', at: 2000, payload: { photos: ['/api/cases/c1/photos/r', 7] } },
          {
            type: 'resolve',
            at: 3000,
            payload: { evidence: ['/api/cases/c1/photos/e', '/api/cases/c1/photos/a'] },
          },
          { type: 'verify_pass', at: 4000 },
        ],
      },
      ORIGIN,
    );
    expect(photos).toEqual([
      { src: '/api/cases/c1/photos/a', origin: { kind: 'report' }, at: 1000 },
      { src: '/api/cases/d1/photos/m', origin: { kind: 'merged', no: 'dup-0001' }, at: 1500 },
      { src: '/api/cases/c1/photos/r', origin: { kind: 'event', type: 'report_rectified' }, at: 2000 },
      { src: '/api/cases/c1/photos/e', origin: { kind: 'event', type: 'resolve' }, at: 3000 },
    ]);
  });

  it('reads a case without its timeline or merged reports (the list before the detail is read)', () => {
    expect(casePhotos({ photos: [], createdAt: 1, mergedFrom: null, timeline: null }, ORIGIN)).toEqual([]);
    expect(eventPhotos(undefined)).toEqual([]);
  });
});

describe('holdPhoto', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('downloads a photo once for all who hold it and revokes its URL when the last lets go', async () => {
    const fetch = vi.fn(async () => new Response(new Blob(['png']), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    const a = holdPhoto('/api/cases/c1/photos/a', 'tok');
    const b = holdPhoto('/api/cases/c1/photos/a', 'tok');
    const url = await a.ready;
    expect(await b.ready).toBe(url);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]).toMatchObject([
      '/api/cases/c1/photos/a',
      { headers: { Authorization: 'Bearer tok' } },
    ]);
    a.release();
    a.release(); // twice is once
    expect(revoke).not.toHaveBeenCalled();
    b.release();
    expect(revoke).toHaveBeenCalledWith(url);
    // Held again: downloaded again.
    const c = holdPhoto('/api/cases/c1/photos/a', 'tok');
    await c.ready;
    expect(fetch).toHaveBeenCalledTimes(2);
    c.release();
  });

  it('forgets a failed download, so the next holder tries again', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(new Response('gone', { status: 404 }))
      .mockResolvedValueOnce(new Response(new Blob(['png']), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const a = holdPhoto('/api/cases/c1/photos/b', 'tok');
    await expect(a.ready).rejects.toThrow('404');
    const b = holdPhoto('/api/cases/c1/photos/b', 'tok');
    expect(await b.ready).toMatch(/^blob:/);
    a.release(); // the failed one's release leaves the new download alone
    expect(fetch).toHaveBeenCalledTimes(2);
    b.release();
  });
});
