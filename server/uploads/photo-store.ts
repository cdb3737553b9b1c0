// Photos on disk under DATA_DIR/photos/<caseId>/: the image (<id>.<ext>) and a small JSON record
// beside it (who, when, what type). Written to a temporary name and renamed, so a crash never
// leaves half a photo under its real name. Several server processes share DATA_DIR.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PHOTO_MAX_PER_CASE, type PhotoInfo, type PhotoType } from '../../shared/photos';
import type { Sniffed } from './sniff';

interface PhotoRecord {
  id: string;
  caseId: string;
  type: PhotoType;
  ext: string;
  bytes: number;
  sha256: string;
  uploadedBy: string;
  at: number;
}

/** The folder of intake marks, beside the cases' folders (see markIntake). */
const INTAKE_MARKS = '.intake';

/** Case and photo ids as they may appear in a path: no dots, no slashes. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const isSafeId = (id: string) => SAFE_ID.test(id);

export const photoUrl = (caseId: string, id: string) =>
  `/api/cases/${encodeURIComponent(caseId)}/photos/${encodeURIComponent(id)}`;

const CASE_PHOTO_PATH = /^\/api\/cases\/([^/]+)\/photos\/([^/]+)\/?$/i;

/** The shapes of the ids this server gives a case (timeOrderedId) and a photo (12 random bytes). */
const OUR_CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OUR_PHOTO_ID = /^[0-9a-f]{24}$/i;

/**
 * A photo of one of this server's cases that a URL names (`casePhotoOf`), its ids of the shapes this
 * server gives: what a report or a clue may not cite from another case. Another system's link of
 * the same form (`https://12345.example.cn/api/cases/88321/photos/1.jpg`, from a hotline's record)
 * is not one, and is kept as sent; the delete check reads every such path, as being loose there
 * only keeps a photo.
 */
export function ourCasePhotoOf(url: string): { caseId: string; photoId: string } | undefined {
  const p = casePhotoOf(url);
  return p && OUR_CASE_ID.test(p.caseId) && OUR_PHOTO_ID.test(p.photoId) ? p : undefined;
}

/**
 * The case photo a URL or path names, however written (a full URL on any host, with a query, the
 * path in another letter case: the routes match any); undefined for any other URL.
 */
export function casePhotoOf(url: string): { caseId: string; photoId: string } | undefined {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://server.invalid').pathname;
  } catch {
    return undefined;
  }
  const m = CASE_PHOTO_PATH.exec(pathname);
  if (!m) return undefined;
  try {
    return { caseId: decodeURIComponent(m[1]!), photoId: decodeURIComponent(m[2]!) };
  } catch {
    return undefined; // not percent-encoded UTF-8: no route reads it either
  }
}

export class PhotoStore {
  constructor(readonly root: string) {}

  private dir(caseId: string): string {
    if (!isSafeId(caseId)) throw new Error(`unsafe case id ${JSON.stringify(caseId)}`);
    return path.join(this.root, caseId);
  }

  private info(r: PhotoRecord): PhotoInfo {
    return {
      id: r.id,
      caseId: r.caseId,
      type: r.type,
      bytes: r.bytes,
      uploadedBy: r.uploadedBy,
      at: r.at,
      url: photoUrl(r.caseId, r.id),
    };
  }

  async list(caseId: string): Promise<PhotoInfo[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir(caseId));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: PhotoInfo[] = [];
    for (const n of names.filter((n) => n.endsWith('.json'))) {
      const r = await this.record(caseId, n.slice(0, -5));
      if (r) out.push(this.info(r));
    }
    return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  }

  private async record(caseId: string, id: string): Promise<PhotoRecord | null> {
    if (!isSafeId(id)) return null;
    try {
      return JSON.parse(await fs.readFile(path.join(this.dir(caseId), `${id}.json`), 'utf8')) as PhotoRecord;
    } catch {
      return null;
    }
  }

  /** Store `data` (already sniffed) for the case; null when the case holds its maximum already. */
  async save(
    caseId: string,
    data: Buffer,
    sniffed: Sniffed,
    uploadedBy: string,
    at: number,
  ): Promise<PhotoInfo | null> {
    // One save of a case's photos at a time in this process: counting and writing were two awaits
    // apart, and 70 uploads at once left a case with 67 photos (the review's test).
    const prior = this.saving.get(caseId) ?? Promise.resolve();
    const run = prior.then(() => this.saveNow(caseId, data, sniffed, uploadedBy, at));
    const tail = run.catch(() => undefined);
    this.saving.set(caseId, tail);
    void tail.then(() => {
      if (this.saving.get(caseId) === tail) this.saving.delete(caseId);
    });
    return run;
  }

  private readonly saving = new Map<string, Promise<unknown>>();

  private async saveNow(
    caseId: string,
    data: Buffer,
    sniffed: Sniffed,
    uploadedBy: string,
    at: number,
  ): Promise<PhotoInfo | null> {
    const dir = this.dir(caseId);
    await fs.mkdir(dir, { recursive: true });
    const count = async () => (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).length;
    if ((await count()) >= PHOTO_MAX_PER_CASE) return null;
    const id = crypto.randomBytes(12).toString('hex');
    const record: PhotoRecord = {
      id,
      caseId,
      type: sniffed.type,
      ext: sniffed.ext,
      bytes: data.length,
      sha256: crypto.createHash('sha256').update(data).digest('hex'),
      uploadedBy,
      at,
    };
    const file = path.join(dir, `${id}.${sniffed.ext}`);
    await writeAtomic(file, data);
    // The record last: a photo is listed only once its bytes are all there.
    await writeAtomic(path.join(dir, `${id}.json`), Buffer.from(JSON.stringify(record)));
    // Another server process on the same DATA_DIR may have saved one meanwhile: counted again, a
    // photo past the maximum takes itself back (two such may both go; the case never holds more).
    if ((await count()) > PHOTO_MAX_PER_CASE) {
      await this.remove(caseId, id);
      return null;
    }
    return this.info(record);
  }

  /** The file and type of a stored photo, or null. */
  async open(caseId: string, id: string): Promise<{ file: string; type: PhotoType; bytes: number } | null> {
    if (!isSafeId(caseId)) return null;
    const r = await this.record(caseId, id);
    if (!r || r.caseId !== caseId) return null;
    return { file: path.join(this.dir(caseId), `${r.id}.${r.ext}`), type: r.type, bytes: r.bytes };
  }

  /** Who uploaded a stored photo (null when there is no such photo). */
  async uploader(caseId: string, id: string): Promise<string | null> {
    if (!isSafeId(caseId)) return null;
    return (await this.record(caseId, id))?.uploadedBy ?? null;
  }

  /** Delete a photo: its record first (it stops being listed), then its bytes. */
  async remove(caseId: string, id: string): Promise<boolean> {
    if (!isSafeId(caseId)) return false;
    const r = await this.record(caseId, id);
    if (!r) return false;
    const dir = this.dir(caseId);
    await fs.rm(path.join(dir, `${id}.json`), { force: true });
    await fs.rm(path.join(dir, `${id}.${r.ext}`), { force: true });
    return true;
  }

  /**
   * Put a copy of photo `id` of `from` (this store's folder, another store) in `into`'s folder of
   * case `caseId`, under the same id: its bytes hard-linked when the two share a file system, else
   * copied; its record rewritten for the case. False when there is no such photo.
   */
  async copyTo(into: PhotoStore, from: string, id: string, caseId: string): Promise<boolean> {
    if (!isSafeId(from)) return false;
    const r = await this.record(from, id);
    if (!r) return false;
    const dir = into.dir(caseId);
    await fs.mkdir(dir, { recursive: true });
    const source = path.join(this.dir(from), `${id}.${r.ext}`);
    const target = path.join(dir, `${id}.${r.ext}`);
    const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.link(source, tmp);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      try {
        await fs.copyFile(source, tmp);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw e;
      }
    }
    await fs.rename(tmp, target);
    await writeAtomic(path.join(dir, `${id}.json`), Buffer.from(JSON.stringify({ ...r, caseId })));
    return true;
  }

  /** Delete every photo stored before `cutoff` (epoch ms), in every folder; how many. */
  async pruneBefore(cutoff: number): Promise<number> {
    let folders: string[];
    try {
      folders = await fs.readdir(this.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    let removed = 0;
    for (const folder of folders.filter(isSafeId)) {
      const names = await fs.readdir(this.dir(folder)).catch(() => [] as string[]);
      for (const n of names.filter((n) => n.endsWith('.json'))) {
        const r = await this.record(folder, n.slice(0, -5));
        if (r && r.at < cutoff && (await this.remove(folder, r.id))) removed++;
      }
      // Leftovers of a write that died before its rename.
      for (const n of names.filter((n) => n.endsWith('.tmp')))
        if (await olderThan(path.join(this.dir(folder), n), cutoff))
          await fs.rm(path.join(this.dir(folder), n), { force: true });
      await this.dropIfEmpty(folder);
    }
    return removed;
  }

  /** Remove every file of photo `id` in the case's folder, its record or not (a copy cut short). */
  async purge(caseId: string, id: string): Promise<void> {
    if (!isSafeId(caseId) || !isSafeId(id)) return;
    const dir = this.dir(caseId);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    await fs.rm(path.join(dir, `${id}.json`), { force: true });
    for (const n of names) if (n.startsWith(`${id}.`)) await fs.rm(path.join(dir, n), { force: true });
  }

  /**
   * Intake marks a case's folder before it takes a clue's photos into it and clears the mark once
   * the case is stored or given up: a mark a day old names a folder a crash (or a write that failed
   * without saying whether it committed) left behind, to be settled against the database. The marks
   * are empty files under `<root>/.intake/`, beside the cases' folders (no case id has a dot).
   */
  async markIntake(caseId: string, at: number): Promise<void> {
    if (!isSafeId(caseId)) throw new Error(`unsafe case id ${JSON.stringify(caseId)}`);
    await fs.mkdir(path.join(this.root, INTAKE_MARKS), { recursive: true });
    // The server's clock in the mark, the clock the pruning compares with (not the file's mtime:
    // a shared volume's clock may differ).
    await fs.writeFile(path.join(this.root, INTAKE_MARKS, caseId), String(at));
  }

  async clearIntake(caseId: string): Promise<void> {
    if (isSafeId(caseId)) await fs.rm(path.join(this.root, INTAKE_MARKS, caseId), { force: true });
  }

  /** The cases whose folders were marked before `cutoff` and never cleared. */
  async intakesBefore(cutoff: number): Promise<string[]> {
    const dir = path.join(this.root, INTAKE_MARKS);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const out: string[] = [];
    for (const n of names.filter(isSafeId)) {
      const at = Number(await fs.readFile(path.join(dir, n), 'utf8').catch(() => ''));
      // A mark without its time (cut short as it was written) goes by the file's age.
      if (at > 0 ? at < cutoff : await olderThan(path.join(dir, n), cutoff)) out.push(n);
    }
    return out;
  }

  /** Remove a case's folder and everything in it. */
  async removeFolder(caseId: string): Promise<void> {
    if (isSafeId(caseId)) await fs.rm(this.dir(caseId), { recursive: true, force: true });
  }

  /** Remove the case's folder when it holds nothing (a photo taken back from a case never stored). */
  async dropIfEmpty(caseId: string): Promise<void> {
    if (isSafeId(caseId)) await fs.rmdir(this.dir(caseId)).catch(() => undefined);
  }

  /** Which of `ids` are not photos of the case (for the case engine to refuse a report naming them). */
  async missing(caseId: string, ids: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const id of ids) if (!isSafeId(caseId) || !(await this.record(caseId, id))) out.push(id);
    return out;
  }
}

async function olderThan(file: string, cutoff: number): Promise<boolean> {
  const st = await fs.stat(file).catch(() => null);
  return st !== null && st.mtimeMs < cutoff;
}

async function writeAtomic(file: string, data: Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}
