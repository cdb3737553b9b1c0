// Evidence photos through the real server: only images (by their bytes), within the size limit,
// stored under DATA_DIR/photos, readable only by users whose scope covers the case, and usable as
// the evidence of a resolution.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import { PHOTO_MAX_BYTES, PHOTO_MAX_PER_CASE, type PhotoInfo } from '../../../shared/photos';
import { JPEG, PNG } from '../../support/images';
import { startTestServer, type TestServer } from '../../support/server';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../support/db';
import { PhotoStore } from '../../../server/uploads/photo-store';
import { tokenFor } from '../../support/auth';
import { act, clueAt, getCase, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';
const MISHAN = '140581101';

describe('evidence photos', () => {
  let server: TestServer;
  let commander: string;
  let leader: string;
  let dongcheng: string;
  let mishan: string;
  let c: CaseView;

  beforeAll(async () => {
    server = await startTestServer();
    commander = await tokenFor(server, 'commander1', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    mishan = await tokenFor(server, 'mishan', 'township', { kind: 'township', code: MISHAN });
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG)));
    expect(r.status).toBe(201);
    c = r.body.case as CaseView;
  });
  afterAll(() => server?.close());

  async function upload(token: string | null, caseId: string, body: Buffer, type = 'image/jpeg') {
    const res = await fetch(`${server.url}/api/cases/${caseId}/photos`, {
      method: 'POST',
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': type },
      body: new Uint8Array(body),
    });
    return {
      status: res.status,
      body: (await res.json().catch(() => null)) as { photo?: PhotoInfo; error?: string },
    };
  }
  async function download(token: string, url: string) {
    const res = await fetch(`${server.url}${url}`, { headers: { Authorization: `Bearer ${token}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  }

  it('stores an image under DATA_DIR/photos and serves it back to the case owner', async () => {
    const r = await upload(dongcheng, c.id, JPEG, 'application/octet-stream');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const photo = r.body.photo!;
    expect(photo).toMatchObject({
      caseId: c.id,
      type: 'image/jpeg',
      bytes: JPEG.length,
      uploadedBy: 'dongcheng',
    });
    const onDisk = fs.readdirSync(path.join(server.config.dataDir, 'photos', c.id));
    expect(onDisk).toContain(`${photo.id}.jpg`);
    const got = await download(dongcheng, photo.url);
    expect(got.status).toBe(200);
    expect(got.type).toBe('image/jpeg');
    expect(got.bytes.equals(JPEG)).toBe(true);
  });

  it('decides the type by content: a PNG sent as JPEG is a PNG, text called a JPEG is refused', async () => {
    const png = await upload(dongcheng, c.id, PNG, 'image/jpeg');
    expect(png.status).toBe(201);
    expect(png.body.photo!.type).toBe('image/png');
    // Whatever the header says, even JSON: the bytes decide.
    const asJson = await upload(dongcheng, c.id, JPEG, 'application/json');
    expect(asJson.status, JSON.stringify(asJson.body)).toBe(201);
    expect(asJson.body.photo!.type).toBe('image/jpeg');
    const jsonText = await upload(dongcheng, c.id, Buffer.from('{"a":1}'), 'application/json');
    expect(jsonText.status).toBe(422);
    expect(jsonText.body.error).toContain('JPEG、PNG 或 WebP');
    const fake = await upload(dongcheng, c.id, Buffer.from('not really a photo'), 'image/jpeg');
    expect(fake.status).toBe(422);
    expect(fake.body.error).toContain('JPEG、PNG 或 WebP');
    const svg = await upload(
      dongcheng,
      c.id,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      'image/svg+xml',
    );
    expect(svg.status).toBe(422);
    const empty = await upload(dongcheng, c.id, Buffer.alloc(0));
    expect(empty.status).toBe(422);
  });

  it('refuses a photo over the size limit', async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(PHOTO_MAX_BYTES)]);
    const r = await upload(dongcheng, c.id, big);
    expect(r.status).toBe(413);
  });

  it('shows photos only to users whose scope covers the case', async () => {
    const r = await upload(dongcheng, c.id, JPEG);
    const url = r.body.photo!.url;
    expect((await download(mishan, url)).status).toBe(404); // another township
    expect((await download(leader, url)).status).toBe(200); // the county
    expect((await download(commander, url)).status).toBe(200);
    const list = await fetch(`${server.url}/api/cases/${c.id}/photos`, {
      headers: { Authorization: `Bearer ${mishan}` },
    });
    expect(list.status).toBe(404);
    expect((await upload(mishan, c.id, JPEG)).status).toBe(404);
    expect((await upload(null, c.id, JPEG)).status).toBe(401);
    expect((await upload(leader, c.id, JPEG)).status).toBe(403); // leaders read, never write
    expect((await download(dongcheng, `/api/cases/${c.id}/photos/..%2F..%2Fjwt-secret`)).status).toBe(404);
  });

  it('lets the township resolve with the photos as evidence, kept in the timeline', async () => {
    const a = await upload(dongcheng, c.id, JPEG);
    const b = await upload(dongcheng, c.id, PNG);
    let v = c;
    for (const body of [{ action: 'acknowledge' }, { action: 'start', personnel: 2 }, { action: 'arrive' }]) {
      const r = await act(server, dongcheng, v.id, { version: v.version, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      v = r.body.case;
    }
    const evidence = [a.body.photo!.url, b.body.photo!.url];
    const r = await act(server, dongcheng, v.id, {
      version: v.version,
      action: 'resolve',
      result: '已清理',
      evidence,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const full = (await getCase(server, commander, v.id)).body.case as CaseView;
    const resolve = full.timeline!.find((e) => e.type === 'resolve')!;
    expect(resolve.payload.evidence).toEqual(evidence);
  });

  it('lets the uploader take back an unused photo, never one that is evidence', async () => {
    const del = (token: string, url: string) =>
      fetch(`${server.url}${url}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    const spare = (await upload(dongcheng, c.id, JPEG)).body.photo!;
    expect((await del(commander, spare.url)).status).toBe(403); // not the uploader
    expect((await del(mishan, spare.url)).status).toBe(404);
    expect((await del(dongcheng, spare.url)).status).toBe(204);
    expect((await download(dongcheng, spare.url)).status).toBe(404);
    expect((await del(dongcheng, spare.url)).status).toBe(404);
    // The photos the resolution above cites stay.
    const full = (await getCase(server, commander, c.id)).body.case as CaseView;
    const evidence = full.timeline!.find((e) => e.type === 'resolve')!.payload.evidence as string[];
    expect((await del(dongcheng, evidence[0]!)).status).toBe(409);
    expect((await download(dongcheng, evidence[0]!)).status).toBe(200);
  });

  it('keeps a photo cited by its full URL, with a query or in another letter case as evidence', async () => {
    const del = (token: string, url: string) =>
      fetch(`${server.url}${url}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG)));
    let v = r.body.case as CaseView;
    if (v.status === 'reported') {
      // Within 50 m of the case above: left for the operator, who sends it all the same.
      const d = await act(server, commander, v.id, { version: v.version, action: 'dispatch' });
      expect(d.status, JSON.stringify(d.body)).toBe(200);
      v = d.body.case;
    }
    const photos = [];
    for (let i = 0; i < 3; i++) photos.push((await upload(dongcheng, v.id, JPEG)).body.photo!);
    for (const body of [{ action: 'acknowledge' }, { action: 'start' }]) {
      const a = await act(server, dongcheng, v.id, { version: v.version, ...body });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      v = a.body.case;
    }
    const [full, query, upper] = photos as [PhotoInfo, PhotoInfo, PhotoInfo];
    const evidence = [
      `${server.url}${full.url}`,
      `${query.url}?v=1`,
      upper.url.replace('/api/cases/', '/API/Cases/').replace('/photos/', '/PHOTOS/'),
    ];
    for (const url of evidence)
      expect((await download(dongcheng, url.replace(server.url, ''))).status).toBe(200);
    const resolved = await act(server, dongcheng, v.id, {
      version: v.version,
      action: 'resolve',
      result: '已清理',
      evidence,
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    for (const p of photos) {
      expect((await del(dongcheng, p.url)).status).toBe(409);
      expect((await download(dongcheng, p.url)).status).toBe(200);
    }
  });

  it("refuses a report citing another case's photo, naming it, so no photo is cited where its own case's delete check cannot see it", async () => {
    const del = (token: string, url: string) =>
      fetch(`${server.url}${url}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    const dispatched = async (index: number) => {
      const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, index)));
      let v = r.body.case as CaseView;
      if (v.status === 'reported') {
        const d = await act(server, commander, v.id, { version: v.version, action: 'dispatch' });
        expect(d.status, JSON.stringify(d.body)).toBe(200);
        v = d.body.case;
      }
      return v;
    };
    const other = await dispatched(2);
    const theirs = (await upload(dongcheng, other.id, JPEG)).body.photo!;
    let v = await dispatched(3);
    const own = (await upload(dongcheng, v.id, PNG)).body.photo!;
    const step = async (body: Record<string, unknown>) => {
      const r = await act(server, dongcheng, v.id, { version: v.version, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      v = r.body.case;
    };
    for (const action of ['acknowledge', 'start', 'order_rectification']) await step({ action });

    // 整改完成 citing the other case's photo by its full URL, as the pages read it.
    const rectified = await act(server, dongcheng, v.id, {
      version: v.version,
      action: 'report_rectified',
      photos: [own.url, `${server.url}${theirs.url}`],
    });
    expect(rectified.status, JSON.stringify(rectified.body)).toBe(422);
    expect(rectified.body.field).toBe('body.photos.1');
    expect(rectified.body.error).toMatch(/another case/);
    // Its own photo and a source's URLs on another host are taken as before: also another system's
    // link of the same form (its ids are not of the shapes this server gives).
    await step({
      action: 'report_rectified',
      photos: [
        own.url,
        'https://12345.example.cn/att/1.jpg',
        'https://12345.example.cn/api/cases/88321/photos/1.jpg',
      ],
    });

    // 办结 citing it by its path, in another letter case too.
    for (const cited of [theirs.url, theirs.url.replace('/api/cases/', '/API/Cases/')]) {
      const resolved = await act(server, dongcheng, v.id, {
        version: v.version,
        action: 'resolve',
        result: '已清理',
        evidence: [cited],
      });
      expect(resolved.status, JSON.stringify(resolved.body)).toBe(422);
      expect(resolved.body.field).toBe('body.evidence.0');
      expect((await getCase(server, dongcheng, v.id)).body.case.version).toBe(v.version);
    }
    await step({ action: 'resolve', result: '已清理', evidence: [own.url] });
    expect((await del(dongcheng, own.url)).status).toBe(409); // cited by its own case: kept
    expect((await del(dongcheng, theirs.url)).status).toBe(204); // cited by no record
  });

  it('refuses a report citing a photo its case does not hold (deleted, or never uploaded), so no evidence opens onto nothing', async () => {
    const del = (token: string, url: string) =>
      fetch(`${server.url}${url}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 4)));
    let v = r.body.case as CaseView;
    if (v.status === 'reported') {
      const d = await act(server, commander, v.id, { version: v.version, action: 'dispatch' });
      expect(d.status, JSON.stringify(d.body)).toBe(200);
      v = d.body.case;
    }
    const kept = (await upload(dongcheng, v.id, JPEG)).body.photo!;
    const taken = (await upload(dongcheng, v.id, PNG)).body.photo!;
    expect((await del(dongcheng, taken.url)).status).toBe(204);
    const never = kept.url.replace(/[0-9a-f]{24}$/, 'f'.repeat(24));
    const step = async (body: Record<string, unknown>) => {
      const a = await act(server, dongcheng, v.id, { version: v.version, ...body });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      v = a.body.case;
    };
    for (const action of ['acknowledge', 'start', 'order_rectification']) await step({ action });
    for (const [photos, field] of [
      [[kept.url, taken.url], 'body.photos.1'],
      [[`${server.url}${never}`], 'body.photos.0'],
    ] as const) {
      const refused = await act(server, dongcheng, v.id, {
        version: v.version,
        action: 'report_rectified',
        photos,
      });
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.field).toBe(field);
      expect(refused.body.error).toMatch(/upload it first/);
    }
    await step({ action: 'report_rectified', photos: [kept.url] });
    const refused = await act(server, dongcheng, v.id, {
      version: v.version,
      action: 'resolve',
      result: '已清理',
      evidence: [`${taken.url.replace('/api/cases/', '/API/Cases/')}?v=1`],
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.field).toBe('body.evidence.0');
    expect(refused.body.error).toMatch(/upload it first/);
    // Nothing was recorded: the case is as it was, and the report goes in with a photo it holds.
    expect((await getCase(server, dongcheng, v.id)).body.case.version).toBe(v.version);
    await step({ action: 'resolve', result: '已清理', evidence: [kept.url] });
    expect(v.status).toBe('resolved');
  });

  it(`holds at most ${PHOTO_MAX_PER_CASE} photos per case`, async () => {
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 1)));
    const other = r.body.case as CaseView;
    for (let i = 0; i < PHOTO_MAX_PER_CASE; i++)
      expect((await upload(dongcheng, other.id, PNG)).status).toBe(201);
    const over = await upload(dongcheng, other.id, PNG);
    expect(over.status).toBe(422);
  });

  it(`holds at most ${PHOTO_MAX_PER_CASE} photos per case when they come all at once`, async () => {
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 2)));
    const other = r.body.case as CaseView;
    const sent = await Promise.all(
      Array.from({ length: PHOTO_MAX_PER_CASE + 10 }, () => upload(dongcheng, other.id, PNG)),
    );
    expect(sent.filter((s) => s.status === 201)).toHaveLength(PHOTO_MAX_PER_CASE);
    expect(sent.filter((s) => s.status === 422)).toHaveLength(10);
    const listed = await fetch(`${server.url}/api/cases/${other.id}/photos`, {
      headers: { Authorization: `Bearer ${dongcheng}` },
    });
    expect(((await listed.json()) as { photos: unknown[] }).photos).toHaveLength(PHOTO_MAX_PER_CASE);
  });

  it("shows a duplicate's photos to the desk working on the case it was merged into, and to no one else new", async () => {
    // 耕地 (ZR01) is not delegated in 东城街道: the original goes to the department. The second
    // report, held for the operator as a possible duplicate, is only the township's to see.
    const zrzyj = await tokenFor(server, 'zrzyj1', 'department', { kind: 'department', code: 'zrzyj' });
    const at = pointIn(server.handle.ctx.geo, DONGCHENG, 7);
    const original = (await report(server, commander, clueAt(at, { matterCode: 'ZR01' }))).body
      .case as CaseView;
    // Dispatched at once (automatic dispatch): the department has it.
    expect(original.status).toBe('dispatched');
    expect(original.assignee!.code).toBe('zrzyj');
    const dup = (await report(server, commander, clueAt(at, { matterCode: 'ZR01' }))).body.case as CaseView;
    expect(dup.duplicateOf).toBe(original.id);
    const photo = (await upload(commander, dup.id, JPEG)).body.photo!;
    expect((await download(zrzyj, photo.url)).status).toBe(404); // not the department's case (yet)
    expect(
      (await act(server, commander, dup.id, { action: 'merge', version: dup.version, into: original.id }))
        .status,
    ).toBe(200);
    const seen = await download(zrzyj, photo.url);
    expect(seen.status).toBe(200);
    expect(seen.bytes.equals(JPEG)).toBe(true);
    // The original lists it with the second report; another township still sees neither.
    const view = (await getCase(server, zrzyj, original.id)).body.case as CaseView;
    expect(view.mergedFrom!.map((m) => m.id)).toEqual([dup.id]);
    expect((await download(mishan, photo.url)).status).toBe(404);
  });
});

// A report citing a photo and its uploader deleting it at the same moment: one of them wins. On
// PostgreSQL the delete read the record on another connection while the action's transaction, the
// photo found, had not committed: both went through, and the record cited a photo no longer there.
describe.each(ENGINES)('a report citing a photo while it is deleted (%s)', (engine) => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    server = await startTestServer({ database });
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
  });

  it('either records the citation and keeps the photo, or deletes it and refuses the report', async () => {
    const commander = await tokenFor(server, 'commander1', 'commander');
    const dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    let v = (await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG)))).body
      .case as CaseView;
    const step = async (token: string, body: Record<string, unknown>) => {
      const a = await act(server, token, v.id, { version: v.version, ...body });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      v = a.body.case as CaseView;
    };
    if (v.status === 'reported') await step(commander, { action: 'dispatch' });
    const up = await fetch(`${server.url}/api/cases/${v.id}/photos`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${dongcheng}`, 'Content-Type': 'image/jpeg' },
      body: new Uint8Array(JPEG),
    });
    const photo = ((await up.json()) as { photo: PhotoInfo }).photo;
    for (const action of ['acknowledge', 'start', 'order_rectification']) await step(dongcheng, { action });

    // The action finds the photo, then waits a moment before its commit; the delete comes meanwhile.
    const open = PhotoStore.prototype.open;
    let found!: () => void;
    const photoFound = new Promise<void>((resolve) => (found = resolve));
    const spy = vi.spyOn(PhotoStore.prototype, 'open').mockImplementation(async function (
      this: PhotoStore,
      ...args: Parameters<PhotoStore['open']>
    ) {
      const r = await open.apply(this, args);
      found();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return r;
    });
    let cited;
    try {
      cited = act(server, dongcheng, v.id, {
        version: v.version,
        action: 'report_rectified',
        photos: [photo.url],
      });
      await photoFound;
    } finally {
      spy.mockRestore();
    }
    const deleted = await fetch(`${server.url}${photo.url}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${dongcheng}` },
    });
    const r = await cited;
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(deleted.status).toBe(409);
    const kept = await fetch(`${server.url}${photo.url}`, {
      headers: { Authorization: `Bearer ${dongcheng}` },
    });
    expect(kept.status).toBe(200);
  });
});
