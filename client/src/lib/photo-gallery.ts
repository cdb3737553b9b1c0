// A case's photos in the order the pages show them, for the photo viewer's previous/next: those
// reported with it (上报照片), those of each report merged into it (合并), then those its timeline
// recorded (整改完成's, 办结's evidence …), each once and with where it came from and when. Only
// photos the page can show are in it (our API's and this server's; a source's own on another host
// opens as a link, the CSP keeping its image out of the page).
import type { MergedReport } from '@shared/cases';
import { photoSource } from './photo-link';

export type GalleryOrigin =
  | { kind: 'report' }
  | { kind: 'merged'; no: string }
  | { kind: 'event'; type: string }
  /** Not one of the case's (a photo picked for a form, not sent yet). */
  | { kind: 'other' };

export interface GalleryPhoto {
  src: string;
  origin: GalleryOrigin;
  /** When it was reported or recorded (epoch ms); null when not known. */
  at: number | null;
}

/** What both case models (the desk's CaseView, the screen's CaseItem) carry of their photos. */
export interface PhotoBearer {
  photos: string[];
  createdAt: number;
  mergedFrom?: Pick<MergedReport, 'id' | 'no' | 'createdAt' | 'photos'>[] | null;
  timeline?: Array<{ type: string; at: number; payload?: Record<string, unknown> }> | null;
}

/** The photos an event recorded: a resolution's evidence, a rectification's photos. */
export function eventPhotos(payload: Record<string, unknown> | undefined): string[] {
  if (!payload) return [];
  return [payload.evidence, payload.photos].flatMap((v) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [],
  );
}

/** Whether the page can show the photo itself (our API's, this server's, a data: image). */
export function pageShows(src: string, origin: string): boolean {
  const kind = photoSource(src, origin).kind;
  return kind === 'api' || kind === 'image';
}

/** The case's photos the page at `origin` can show, in the order it shows them. */
export function casePhotos(c: PhotoBearer, origin: string): GalleryPhoto[] {
  const out: GalleryPhoto[] = [];
  const seen = new Set<string>();
  const add = (src: string, from: GalleryOrigin, at: number | null) => {
    if (seen.has(src) || !pageShows(src, origin)) return;
    seen.add(src);
    out.push({ src, origin: from, at });
  };
  for (const src of c.photos) add(src, { kind: 'report' }, c.createdAt);
  for (const m of c.mergedFrom ?? [])
    for (const src of m.photos) add(src, { kind: 'merged', no: m.no || m.id.slice(0, 8) }, m.createdAt);
  for (const e of c.timeline ?? [])
    for (const src of eventPhotos(e.payload)) add(src, { kind: 'event', type: e.type }, e.at);
  return out;
}
