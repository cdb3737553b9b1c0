// Photos over HTTP: one image per request as the raw body (the server decides from its bytes what
// it is). Evidence goes to its case (`/api/cases/<id>/photos`); a clue's photo, before the clue
// exists, is kept aside for its uploader (`/api/clue-photos`) and taken into the case at intake.
import type { PhotoInfo } from '@shared/photos';
import { api, ApiError } from './http';

/** Where a photo is uploaded: a case's evidence, or a clue not yet reported. */
export const photoTarget = {
  case: (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}/photos`,
  clue: '/api/clue-photos',
} as const;

export async function uploadPhoto(to: string, file: Blob): Promise<PhotoInfo> {
  const body = await api<{ photo?: PhotoInfo } | undefined>(to, { body: file });
  if (!body?.photo) throw new ApiError(500, '上传应答格式有误，请重试 (malformed upload answer)');
  return body.photo;
}

/** Take back a photo not yet used (best effort: a failure leaves a file the server prunes or keeps). */
export async function removePhoto(url: string): Promise<void> {
  if (!url.startsWith('/api/cases/') && !url.startsWith('/api/clue-photos/')) return;
  await api(url, { method: 'DELETE' }).catch(() => undefined);
}
