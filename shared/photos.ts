// Evidence photos (现场照片) attached to a case's result and rectification reports: the limits both
// sides enforce. The server checks the bytes (magic numbers), never the name or declared type.

/** The image types accepted, by what their bytes say they are. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** Largest photo accepted, in bytes (a phone camera's JPEG is typically 2–6 MB). */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
// Photos one report (办结 / 整改完成) may reference: PHOTOS_MAX in shared/cases.ts.
/** Photos one case may hold in all (rework and repeated reports included). */
export const PHOTO_MAX_PER_CASE = 60;

export interface PhotoInfo {
  id: string;
  caseId: string;
  type: PhotoType;
  bytes: number;
  uploadedBy: string;
  at: number;
  /** GET this (with the bearer token) for the image. */
  url: string;
}
