// Evidence photos over HTTP. Upload: POST /api/cases/:id/photos with the image as the raw body
// (one photo per request, any Content-Type: the bytes decide) → 201 {photo}. Read: GET
// /api/cases/:id/photos (list) and /api/cases/:id/photos/:photoId (the image), only for users
// whose scope covers the case; others get 404, as if the case did not exist. DELETE takes back a
// photo its uploader has not yet used in a report (a form cancelled, a wrong picture).
// Clue photos, before their clue: POST /api/clue-photos → 201 {photo} with url
// /api/clue-photos/<id>; GET and DELETE that URL, its uploader only (clue-photos.ts).
import express, { type Router } from 'express';
import path from 'node:path';
import type { SessionUser } from '../../shared/auth';
import { PHOTO_MAX_BYTES, PHOTO_MAX_PER_CASE, type PhotoInfo } from '../../shared/photos';
import { requireRole, requireUser } from '../auth/guards';
import { HttpError, conflict, forbidden, notFound, unprocessable } from '../http/errors';
import type { AppContext } from '../context';
import { PhotoStore, casePhotoOf, isSafeId, photoUrl } from './photo-store';
import { sniffImage, type Sniffed } from './sniff';
import { CluePhotos, cluePhotoUrl, stagingFolderOf } from './clue-photos';

/** Resolves when `user` may see the case; throws 404 (not found or out of scope) otherwise. */
export type CaseAccess = (user: SessionUser, caseId: string) => Promise<void>;

/** Roles that may add photos: the assignees and the command centre (leaders only read). */
const UPLOAD_ROLES = ['admin', 'commander', 'township', 'department'] as const;

export function photoStoreFor(ctx: Pick<AppContext, 'config'>): PhotoStore {
  return new PhotoStore(path.join(ctx.config.dataDir, 'photos'));
}

/** Photos kept aside for clues (DATA_DIR/clue-photos/<user>/), and the cases' photos they go to. */
export function cluePhotosFor(ctx: Pick<AppContext, 'config'> & { clock?: { now(): number } }): CluePhotos {
  const clock = ctx.clock;
  return new CluePhotos(
    new PhotoStore(path.join(ctx.config.dataDir, 'clue-photos')),
    photoStoreFor(ctx),
    clock ? () => clock.now() : Date.now,
  );
}

/** The case engine's own scope check: a case outside the caller's scope reads as 404. */
export function caseAccessOf(ctx: Pick<AppContext, 'cases'>): CaseAccess {
  return async (user, caseId) => {
    await ctx.cases.get(user, caseId);
  };
}

/**
 * Every photo URL the case's record names (its own photos, and each event's evidence and photos),
 * each of this server's case photos as its own address (`photoUrl`): a report may cite one as the
 * pages read it, by full URL, with a query, or its path in another letter case (the routes match
 * any), and a photo so cited is evidence all the same.
 */
export async function referencedPhotos(
  ctx: Pick<AppContext, 'cases'>,
  user: SessionUser,
  caseId: string,
): Promise<Set<string>> {
  const c = await ctx.cases.get(user, caseId);
  return citedAddresses(
    c.photos,
    (c.timeline ?? []).map((e) => e.payload),
  );
}

/** The addresses (`photoUrl`) a case's own photos and its events' `evidence` / `photos` name. */
function citedAddresses(photos: string[], payloads: Record<string, unknown>[]): Set<string> {
  const urls = new Set<string>();
  const add = (u: string) => urls.add(casePhotoAddress(u) ?? u);
  photos.forEach(add);
  for (const payload of payloads)
    for (const key of ['evidence', 'photos'])
      for (const u of Array.isArray(payload[key]) ? (payload[key] as unknown[]) : [])
        if (typeof u === 'string') add(u);
  return urls;
}

/** The `photoUrl` of the case photo a URL or path names, however written; undefined for any other. */
export function casePhotoAddress(url: string): string | undefined {
  const photo = casePhotoOf(url);
  return photo && photoUrl(photo.caseId, photo.photoId);
}

function sendPhoto(res: express.Response, found: { file: string; type: string }): void {
  res.setHeader('Content-Type', found.type);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Disposition', 'inline');
  // Private: the image is someone's case evidence; a shared cache must not keep it.
  res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
  // The path is the store's own (safe ids under DATA_DIR); `send` would refuse every photo when
  // DATA_DIR has a dot-folder anywhere in it (/srv/.data), answering 404 for stored evidence.
  res.sendFile(found.file, { dotfiles: 'allow' });
}

export function uploadsRouter(
  ctx: AppContext,
  canSee: CaseAccess = caseAccessOf(ctx),
  cluePhotos: CluePhotos = cluePhotosFor(ctx),
): Router {
  const router = express.Router();
  const photos = cluePhotos.cases;
  const raw = express.raw({ type: () => true, limit: PHOTO_MAX_BYTES });

  const caseParam = (id: string | undefined): string => {
    if (!id || !isSafeId(id)) throw notFound('案件不存在 (no such case)');
    return id;
  };

  /** The image in the request's body, checked: 413 when too large, 422 when empty or not an image. */
  const readImage = (
    req: express.Request,
    res: express.Response,
  ): Promise<{ data: Buffer; sniffed: Sniffed }> =>
    new Promise((resolve, reject) =>
      raw(req, res, (err?: unknown) => {
        if (err) {
          const e = err as { type?: string };
          if (e.type === 'entity.too.large')
            return reject(
              new HttpError(
                413,
                `照片不能超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB (photo larger than the limit)`,
                'body',
              ),
            );
          return reject(err);
        }
        const body = req.body as unknown;
        const data = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        if (!data.length) return reject(unprocessable('请选择要上传的照片 (empty upload)', 'body'));
        const sniffed = sniffImage(data);
        if (!sniffed)
          return reject(
            unprocessable(
              '只能上传 JPEG、PNG 或 WebP 图片 (the file is not a JPEG, PNG or WebP image)',
              'body',
            ),
          );
        resolve({ data, sniffed });
      }),
    );

  router.post('/cases/:id/photos', async (req, res) => {
    // Check who is asking before reading a 10 MB body.
    const user = requireUser(req);
    requireRole(user, UPLOAD_ROLES, 'add photos');
    const caseId = caseParam(req.params.id);
    await canSee(user, caseId);
    const { data, sniffed } = await readImage(req, res);
    const photo = await photos.save(caseId, data, sniffed, user.username, ctx.clock.now());
    if (!photo)
      throw unprocessable(
        `每个案件最多 ${PHOTO_MAX_PER_CASE} 张照片 (the case holds its maximum of photos)`,
        'body',
      );
    res.status(201).json({ photo });
  });

  // 线索照片 (clue-photos.ts): kept aside for a clue not yet reported, seen only by its uploader.
  const staged = cluePhotos.staged;
  const stagedView = (p: PhotoInfo): PhotoInfo => ({ ...p, caseId: '', url: cluePhotoUrl(p.id) });

  router.post('/clue-photos', async (req, res) => {
    const user = requireRole(requireUser(req), UPLOAD_ROLES, 'add photos');
    const { data, sniffed } = await readImage(req, res);
    const photo = await staged.save(stagingFolderOf(user), data, sniffed, user.username, ctx.clock.now());
    if (!photo)
      throw unprocessable(
        `未登记的线索照片最多 ${PHOTO_MAX_PER_CASE} 张：请先登记线索，或删除不用的照片 (too many photos kept aside for clues not yet reported)`,
        'body',
      );
    res.status(201).json({ photo: stagedView(photo) });
  });

  router.get('/clue-photos/:photoId', async (req, res) => {
    const user = requireUser(req);
    const found = await staged.open(stagingFolderOf(user), req.params.photoId ?? '');
    if (!found) throw notFound('照片不存在或已随线索登记 (no such photo kept aside)');
    sendPhoto(res, found);
  });

  router.delete('/clue-photos/:photoId', async (req, res) => {
    const user = requireUser(req);
    if (!(await staged.remove(stagingFolderOf(user), req.params.photoId ?? '')))
      throw notFound('照片不存在或已随线索登记 (no such photo kept aside)');
    res.status(204).end();
  });

  router.get('/cases/:id/photos', async (req, res) => {
    const user = requireUser(req);
    const caseId = caseParam(req.params.id);
    await canSee(user, caseId);
    res.json({ photos: await photos.list(caseId) });
  });

  router.get('/cases/:id/photos/:photoId', async (req, res) => {
    const user = requireUser(req);
    const caseId = caseParam(req.params.id);
    try {
      await canSee(user, caseId);
    } catch (err) {
      // A duplicate merged into a case the caller sees: its photos are that case's second report.
      const notSeen = err instanceof HttpError && err.status === 404;
      if (!notSeen || !(await ctx.cases.mergedIntoSeenBy(user, caseId))) throw err;
    }
    const found = await photos.open(caseId, req.params.photoId ?? '');
    if (!found) throw notFound('照片不存在 (no such photo)');
    sendPhoto(res, found);
  });

  router.delete('/cases/:id/photos/:photoId', async (req, res) => {
    const user = requireUser(req);
    requireRole(user, UPLOAD_ROLES, 'remove photos');
    const caseId = caseParam(req.params.id);
    const photoId = req.params.photoId ?? '';
    await canSee(user, caseId);
    const uploader = await photos.uploader(caseId, photoId);
    if (uploader === null) throw notFound('照片不存在 (no such photo)');
    if (uploader !== user.username && user.role !== 'admin')
      throw forbidden('只能删除自己上传的照片 (only the uploader may remove a photo)');
    const citedConflict = () =>
      conflict('照片已作为办理证据记录在案，不能删除 (the photo is evidence in the case record)');
    const removeUnlessCited = async () => {
      if ((await referencedPhotos(ctx, user, caseId)).has(photoUrl(caseId, photoId))) throw citedConflict();
      await photos.remove(caseId, photoId);
    };
    // PostgreSQL: checked and removed under the case's row lock, the one an action takes while it
    // checks the photos its report cites (CaseService.act): a report citing this photo commits
    // before the check reads the record, or finds the photo gone (422). Unlocked, both went
    // through and the record cited a photo no longer there. SQLite's one connection already runs
    // the action's transaction whole before this read.
    // The record is read on the locked transaction's own connection: a delete holds one connection,
    // not two (ten at once, each waiting for a second, would have held the pool for good).
    if (ctx.store.engine === 'postgres')
      await ctx.store.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('cases')
          .select('photos')
          .where('id', '=', caseId)
          .forUpdate()
          .executeTakeFirst();
        const events = await trx
          .selectFrom('case_events')
          .select('payload')
          .where('case_id', '=', caseId)
          .execute();
        const cited = citedAddresses(
          row ? (JSON.parse(row.photos) as string[]) : [],
          events.map((e) => JSON.parse(e.payload) as Record<string, unknown>),
        );
        if (cited.has(photoUrl(caseId, photoId))) throw citedConflict();
        await photos.remove(caseId, photoId);
      });
    else await removeUnlessCited();
    res.status(204).end();
  });

  return router;
}
