// 线索照片: photos a source uploads before its clue exists (the command centre's 登记线索 with the
// picture a caller sent; a grid worker's app). `POST /api/clue-photos` keeps the image aside under
// `/api/clue-photos/<id>`, visible only to its uploader; the clue names that URL among its `photos`;
// at intake the new case takes the photo into its own folder under `/api/cases/<case>/photos/<id>`
// before its commit (and gives it back if the commit fails), and the kept-aside one goes after it.
// A kept-aside photo no clue took is pruned after a day.
import crypto from 'node:crypto';
import type { SessionUser } from '../../shared/auth';
import { unprocessable } from '../http/errors';
import { PhotoStore, isSafeId, photoUrl } from './photo-store';

export const CLUE_PHOTO_PATH = '/api/clue-photos/';
/** A photo kept aside this long without a clue naming it is pruned. */
export const STAGED_TTL_MS = 24 * 3600_000;

export const cluePhotoUrl = (id: string): string => `${CLUE_PHOTO_PATH}${encodeURIComponent(id)}`;

/**
 * The kept-aside photo a clue's photo URL names, by path or by full URL to any host, as a browser
 * would read it (`/API/Clue-Photos/<id>`, `/api/x/../clue-photos/<id>`, `http://host/api/…`): its id,
 * '' for one that names no valid id; null for any other URL (a source's own, kept as sent).
 */
export function stagedPhotoId(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://clue.invalid');
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!parsed.pathname.toLowerCase().startsWith(CLUE_PHOTO_PATH)) return null;
  let id: string;
  try {
    id = decodeURIComponent(parsed.pathname.slice(CLUE_PHOTO_PATH.length));
  } catch {
    return '';
  }
  return isSafeId(id) && !parsed.search ? id : '';
}

/** Each user's kept-aside photos in a folder of their own, named by a digest of the user's id. */
export const stagingFolderOf = (user: Pick<SessionUser, 'id'>): string =>
  crypto.createHash('sha256').update(user.id).digest('hex').slice(0, 32);

/** The photos a clue took from those kept aside, for the case engine's intake. */
export interface ClaimedPhotos {
  /** The clue's photo URLs as the case names them. */
  urls(caseId: string): string[];
  /** Put the photos in the case's folder (before the commit). */
  attach(caseId: string): Promise<void>;
  /** The case was not stored: take them out of its folder again. */
  discard(caseId: string): Promise<void>;
  /** The case is stored: remove the kept-aside copies. */
  release(caseId: string): Promise<void>;
}

export interface CluePhotoPort {
  /**
   * The kept-aside photos among `photos` (null when there are none); a 422 naming `body.photos.N`
   * when one is not there (never uploaded, someone else's, pruned, or already taken by a clue).
   */
  claim(user: SessionUser, photos: readonly string[]): Promise<ClaimedPhotos | null>;
}

export class CluePhotos implements CluePhotoPort {
  constructor(
    /** Kept-aside photos, a folder per user. */
    readonly staged: PhotoStore,
    /** The cases' photos. */
    readonly cases: PhotoStore,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(user: SessionUser, photos: readonly string[]): Promise<ClaimedPhotos | null> {
    const picks: Array<{ index: number; id: string }> = [];
    const seen = new Set<string>();
    photos.forEach((url, index) => {
      const id = stagedPhotoId(url);
      if (id === null) return;
      if (id && seen.has(id))
        throw unprocessable(
          `body.photos.${index}: 同一张照片出现两次 (the same photo twice)`,
          `body.photos.${index}`,
        );
      seen.add(id);
      picks.push({ index, id });
    });
    if (!picks.length) return null;
    const folder = stagingFolderOf(user);
    const gone = new Set(
      await this.staged.missing(
        folder,
        picks.map((p) => p.id),
      ),
    );
    const first = picks.find((p) => !p.id || gone.has(p.id));
    if (first) throw missingPhoto(first.index);
    const byIndex = new Map(picks.map((p) => [p.index, p.id]));
    return {
      urls: (caseId) =>
        photos.map((url, i) => {
          const id = byIndex.get(i);
          return id === undefined ? url : photoUrl(caseId, id);
        }),
      attach: async (caseId) => {
        await this.cases.markIntake(caseId, this.now());
        for (const p of picks)
          if (!(await this.staged.copyTo(this.cases, folder, p.id, caseId))) throw missingPhoto(p.index);
      },
      discard: async (caseId) => {
        for (const p of picks) await this.cases.purge(caseId, p.id);
        await this.cases.dropIfEmpty(caseId);
        await this.cases.clearIntake(caseId);
      },
      release: async (caseId) => {
        await this.cases.clearIntake(caseId);
        for (const p of picks) await this.staged.remove(folder, p.id);
      },
    };
  }

  /**
   * The hourly job: kept-aside photos older than `cutoff` are pruned, and the case folders intake
   * marked before it and never cleared (a crash between taking the photos and the commit) are
   * settled: a stored case keeps its folder, one never stored loses it.
   */
  async prune(
    cutoff: number,
    storedOf: (caseIds: string[]) => Promise<Set<string>>,
  ): Promise<{ keptAside: number; leftBehind: number }> {
    const keptAside = await this.staged.pruneBefore(cutoff);
    const marked = await this.cases.intakesBefore(cutoff);
    const stored = marked.length ? await storedOf(marked) : new Set<string>();
    let leftBehind = 0;
    let failed: unknown = null;
    for (const caseId of marked)
      try {
        if (!stored.has(caseId)) {
          await this.cases.removeFolder(caseId);
          leftBehind++;
        }
        await this.cases.clearIntake(caseId);
      } catch (err) {
        failed ??= err; // the others are settled all the same; this one is tried again next hour
      }
    if (failed) throw failed;
    return { keptAside, leftBehind };
  }
}

const missingPhoto = (index: number) =>
  unprocessable(
    `body.photos.${index}: 照片不存在或已过期，请重新上传 (no such uploaded photo of yours: upload it again)`,
    `body.photos.${index}`,
  );
