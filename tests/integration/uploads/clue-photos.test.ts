// 线索照片 through the real server: a photo uploaded before its clue is kept aside for its uploader
// only; the clue that names it takes it into the new case (the case's own URL, readable by whoever
// may see the case); a retry finds the same case; a photo that is not the caller's, or gone, is
// refused naming the field, and nothing is stored; one no clue took is pruned after a day.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import type { PhotoInfo } from '../../../shared/photos';
import { STAGED_TTL_MS } from '../../../server/uploads/clue-photos';
import { cluePhotosFor } from '../../../server/uploads/routes';
import { JPEG, PNG } from '../../support/images';
import { dieAfterNextCommit } from '../../support/writer';
import { startTestServer, type TestServer } from '../../support/server';
import { TEST_PASSWORD, tokenFor } from '../../support/auth';
import { clueAt, getCase, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';
const MISHAN = '140581101';

describe('clue photos, uploaded before the clue', () => {
  let server: TestServer;
  let commander: string;
  let commander2: string;
  let leader: string;
  let dongcheng: string;
  let mishan: string;

  beforeAll(async () => {
    server = await startTestServer();
    commander = await tokenFor(server, 'commander1', 'commander');
    commander2 = await tokenFor(server, 'commander2', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    mishan = await tokenFor(server, 'mishan', 'township', { kind: 'township', code: MISHAN });
  });
  afterAll(() => server?.close());

  async function stage(token: string | null, body: Buffer) {
    const res = await fetch(`${server.url}/api/clue-photos`, {
      method: 'POST',
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'image/jpeg' },
      body: new Uint8Array(body),
    });
    return {
      status: res.status,
      body: (await res.json().catch(() => null)) as { photo?: PhotoInfo; error?: string },
    };
  }
  async function download(token: string, url: string) {
    const res = await fetch(`${server.url}${url}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
  }
  const del = (token: string, url: string) =>
    fetch(`${server.url}${url}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
  const caseCount = () =>
    server.handle.ctx.store.db.selectFrom('cases').select(({ fn }) => fn.countAll().as('n'));
  const count = async () => Number((await caseCount().executeTakeFirstOrThrow()).n);

  it('keeps an uploaded photo aside for its uploader only', async () => {
    const r = await stage(commander, PNG);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const photo = r.body.photo!;
    expect(photo.url).toBe(`/api/clue-photos/${photo.id}`);
    expect(photo).toMatchObject({ type: 'image/png', bytes: PNG.length, uploadedBy: 'commander1' });
    const mine = await download(commander, photo.url);
    expect(mine.status).toBe(200);
    expect(mine.bytes.equals(PNG)).toBe(true);
    expect((await download(commander2, photo.url)).status).toBe(404);
    expect((await download(dongcheng, photo.url)).status).toBe(404);
    expect((await del(commander2, photo.url)).status).toBe(404);
    expect((await download(commander, photo.url)).status).toBe(200); // still there
    expect((await stage(leader, PNG)).status).toBe(403); // leaders read, never write
    expect((await stage(null, PNG)).status).toBe(401);
    const text = await stage(commander, Buffer.from('not a photo'));
    expect(text.status).toBe(422);
    expect(text.body.error).toContain('JPEG、PNG 或 WebP');
    expect((await del(commander, photo.url)).status).toBe(204);
    expect((await download(commander, photo.url)).status).toBe(404);
  });

  it('gives the photo to the case the clue makes, under the case, for all who may see it', async () => {
    const photo = (await stage(commander, JPEG)).body.photo!;
    const outside = 'https://example.org/a-picture-the-caller-sent.jpg';
    const clue = clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 2), {
      clientId: 'hotline-with-photo',
      photos: [photo.url, outside],
    });
    const r = await report(server, commander, clue);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = r.body.case as CaseView;
    const taken = `/api/cases/${c.id}/photos/${photo.id}`;
    expect(c.photos).toEqual([taken, outside]);
    expect((await getCase(server, dongcheng, c.id)).body.case.photos).toEqual([taken, outside]);
    for (const token of [commander, dongcheng, leader]) {
      const got = await download(token, taken);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(JPEG)).toBe(true);
    }
    expect((await download(mishan, taken)).status).toBe(404); // another township's
    // No longer kept aside: the case holds it.
    expect((await download(commander, photo.url)).status).toBe(404);
    const keptAside = fs.readdirSync(path.join(server.config.dataDir, 'clue-photos'), { recursive: true });
    expect(keptAside.map(String).filter((f) => f.includes(photo.id))).toEqual([]);
    // It is in the case's record: not taken back by its uploader.
    expect((await del(commander, taken)).status).toBe(409);

    // The same clue again (a lost answer, retried): the same case, nothing new.
    const before = await count();
    const again = await report(server, commander, clue);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.case.id).toBe(c.id);
    expect(await count()).toBe(before);
  });

  it("refuses a clue naming a photo that is not the caller's or is gone, storing nothing", async () => {
    const others = (await stage(commander2, PNG)).body.photo!;
    const before = await count();
    const point = pointIn(server.handle.ctx.geo, DONGCHENG, 3);
    for (const photos of [
      ['https://example.org/fine.jpg', others.url],
      ['/api/clue-photos/000000000000000000000000'],
      ['/api/clue-photos/..%2F..%2Fjwt-secret'],
    ]) {
      const r = await report(server, commander, clueAt(point, { photos }));
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.field).toBe(`body.photos.${photos.length - 1}`);
      expect(r.body.error).toContain('请重新上传');
    }
    // A photo of a case already reported: not this clue's to cite (its uploader may delete it).
    const earlier = (await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 4))))
      .body.case as CaseView;
    const casePhoto = `${server.url}/api/cases/${earlier.id}/photos/0123456789abcdef01234567?v=1`;
    const cited = await report(
      server,
      commander,
      clueAt(point, { photos: ['https://example.org/a.jpg', casePhoto] }),
    );
    expect(cited.status, JSON.stringify(cited.body)).toBe(422);
    expect(cited.body.field).toBe('body.photos.1');
    expect(cited.body.error).toContain('upload the photo with this clue');
    expect(await count()).toBe(before + 1); // the earlier case alone
    // Another system's link of that form (a hotline's record): kept as sent.
    const outside = 'https://12345.example.cn/api/cases/88321/photos/1.jpg';
    const linked = await report(server, commander, clueAt(point, { photos: [outside] }));
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);
    expect((linked.body.case as CaseView).photos).toEqual([outside]);
    expect(await count()).toBe(before + 2);
    // Its uploader still has it, and may use it.
    expect((await download(commander2, others.url)).status).toBe(200);
    const r = await report(server, commander2, clueAt(point, { photos: [others.url] }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });

  it('makes one case of two racing retries of a clue with a photo, its photo in that case', async () => {
    const photo = (await stage(dongcheng, PNG)).body.photo!;
    const clue = clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 4), {
      clientId: 'racing-with-photo',
      photos: [photo.url],
    });
    const before = await count();
    const [a, b] = await Promise.all([report(server, dongcheng, clue), report(server, dongcheng, clue)]);
    expect([a.status, b.status].sort(), JSON.stringify([a.body, b.body])).toEqual([200, 201]);
    expect(a.body.case.id).toBe(b.body.case.id);
    expect(await count()).toBe(before + 1);
    const c = a.body.case as CaseView;
    expect(c.photos).toEqual([`/api/cases/${c.id}/photos/${photo.id}`]);
    expect((await download(commander, c.photos[0]!)).bytes.equals(PNG)).toBe(true);
    // The loser's case id never got a folder of photos left behind, and no intake mark is left.
    const folders = fs
      .readdirSync(path.join(server.config.dataDir, 'photos'))
      .filter((f) => !f.startsWith('.'));
    const stored = new Set(
      (await server.handle.ctx.store.db.selectFrom('cases').select('id').execute()).map((x) => x.id),
    );
    expect(folders.filter((f) => !stored.has(f))).toEqual([]);
    expect(await cluePhotosFor({ config: server.config }).cases.intakesBefore(Infinity)).toEqual([]);
  });

  it('takes a photo named as a browser would read it: any case, a full URL, dot segments', async () => {
    const a = (await stage(commander, PNG)).body.photo!;
    const b = (await stage(commander, JPEG)).body.photo!;
    const c2 = (await stage(commander, PNG)).body.photo!;
    const photos = [
      a.url.replace('/api/clue-photos/', '/API/Clue-Photos/'),
      `${server.url}${b.url}`,
      c2.url.replace('/api/clue-photos/', '/api/x/../clue-photos/'),
    ];
    const r = await report(
      server,
      commander,
      clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 5), { photos }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = r.body.case as CaseView;
    expect(c.photos).toEqual([a, b, c2].map((p) => `/api/cases/${c.id}/photos/${p.id}`));
    for (const url of c.photos) expect((await download(dongcheng, url)).status).toBe(200);
    // The same photo twice in one clue is a mistake, said so.
    const d = (await stage(commander, PNG)).body.photo!;
    const twice = await report(
      server,
      commander,
      clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 6), { photos: [d.url, `${server.url}${d.url}`] }),
    );
    expect(twice.status).toBe(422);
    expect(twice.body.field).toBe('body.photos.1');
  });

  it('keeps the photos of a case a dying writer thread stored without answering', async () => {
    const writer = server.store.writer;
    if (!writer?.usable) return; // PostgreSQL, or no writer thread: nothing of the kind can happen
    // The thread commits, then dies before its answer arrives; the batch is tried again on the main
    // connection and refused by the unique index: the case is stored all the same.
    dieAfterNextCommit(writer);
    const photo = (await stage(dongcheng, JPEG)).body.photo!;
    const r = await report(
      server,
      dongcheng,
      clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 7), {
        clientId: 'lost-reply-photo',
        photos: [photo.url],
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(writer.usable).toBe(false);
    const c = r.body.case as CaseView;
    expect(c.photos).toEqual([`/api/cases/${c.id}/photos/${photo.id}`]);
    const got = await download(commander, c.photos[0]!);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(JPEG)).toBe(true);
    expect((await download(dongcheng, photo.url)).status).toBe(404); // no longer kept aside
  });

  it('marks the case folder while intake takes the photos, and clears the mark either way', async () => {
    const cluePhotos = cluePhotosFor({ config: server.config, clock: server.handle.ctx.clock });
    const user = (await server.handle.ctx.users.authenticate('commander1', TEST_PASSWORD))!;
    const marks = () => cluePhotos.cases.intakesBefore(Infinity);
    const before = await marks();
    const photo = (await stage(commander, PNG)).body.photo!;
    const claimed = (await cluePhotos.claim(user, [photo.url]))!;
    // Given up (the case was not stored): the copy and the mark go; the kept-aside photo stays.
    await claimed.attach('01a24190-0000-7000-8000-0000000000a1');
    expect(await marks()).toEqual([...before, '01a24190-0000-7000-8000-0000000000a1']);
    await claimed.discard('01a24190-0000-7000-8000-0000000000a1');
    expect(await marks()).toEqual(before);
    expect((await download(commander, photo.url)).status).toBe(200);
    // Stored: the copy stays, the mark and the kept-aside photo go.
    await claimed.attach('01a24190-0000-7000-8000-0000000000a2');
    expect(await marks()).toContain('01a24190-0000-7000-8000-0000000000a2');
    await claimed.release('01a24190-0000-7000-8000-0000000000a2');
    expect(await marks()).toEqual(before);
    expect((await download(commander, photo.url)).status).toBe(404);
    expect(
      fs.existsSync(
        path.join(
          server.config.dataDir,
          'photos',
          '01a24190-0000-7000-8000-0000000000a2',
          `${photo.id}.json`,
        ),
      ),
    ).toBe(true);
  });

  it('prunes, a day on, the photos no clue took and the case folders an intake left behind', async () => {
    const cluePhotos = cluePhotosFor({ config: server.config, clock: server.handle.ctx.clock });
    const prune = (cutoff: number) =>
      cluePhotos.prune(cutoff, (ids) => server.handle.ctx.cases.storedIds(ids));
    const caseFolder = (id: string) => path.join(server.config.dataDir, 'photos', id);
    const old = (await stage(mishan, PNG)).body.photo!;
    // A stored case whose mark a crash left (after its commit, before the mark was cleared), and a
    // folder for a case never stored (the crash came before the commit).
    const photo = (await stage(dongcheng, PNG)).body.photo!;
    const r = await report(
      server,
      dongcheng,
      clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 8), { photos: [photo.url] }),
    );
    expect(r.status).toBe(201);
    const stored = r.body.case as CaseView;
    const markedAt = server.handle.ctx.clock.now();
    await cluePhotos.cases.markIntake(stored.id, markedAt);
    const ghost = '01a24190-0000-7000-8000-000000000000';
    await cluePhotos.cases.markIntake(ghost, markedAt);
    expect(
      await cluePhotos.cases.save(ghost, JPEG, { type: 'image/jpeg', ext: 'jpg' }, 'dongcheng', 0),
    ).not.toBeNull();

    // Within the day: nothing goes.
    const now = server.handle.ctx.clock.now();
    expect(await prune(now - STAGED_TTL_MS)).toEqual({ keptAside: 0, leftBehind: 0 });
    expect((await download(mishan, old.url)).status).toBe(200);
    expect(fs.existsSync(caseFolder(ghost))).toBe(true);

    // A day on: the kept-aside photo and the never-stored case's folder go; the stored case keeps
    // its photo.
    const later = await prune(now + STAGED_TTL_MS);
    expect(later.keptAside).toBeGreaterThanOrEqual(1);
    expect(later.leftBehind).toBe(1);
    expect((await download(mishan, old.url)).status).toBe(404);
    expect(fs.existsSync(caseFolder(ghost))).toBe(false);
    const kept = await download(commander, stored.photos[0]!);
    expect(kept.status).toBe(200);
    expect(kept.bytes.equals(PNG)).toBe(true);
    // Settled once: the marks are gone.
    expect(await cluePhotos.cases.intakesBefore(now + STAGED_TTL_MS)).toEqual([]);
  });
});
