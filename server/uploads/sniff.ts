// What an uploaded file really is, from its first bytes: JPEG, PNG or WebP, or nothing we accept.
// A name, an extension or a Content-Type header says what the sender claims, not what it is.
import type { PhotoType } from '../../shared/photos';

export interface Sniffed {
  type: PhotoType;
  ext: 'jpg' | 'png' | 'webp';
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(buf: Uint8Array, bytes: number[], at = 0): boolean {
  if (buf.length < at + bytes.length) return false;
  return bytes.every((b, i) => buf[at + i] === b);
}
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

export function sniffImage(buf: Uint8Array): Sniffed | null {
  // JPEG: SOI marker then another marker (FF D8 FF), and the EOI-less truncation is still a JPEG
  // start; a 3-byte file is not an image.
  if (buf.length >= 4 && startsWith(buf, [0xff, 0xd8, 0xff])) return { type: 'image/jpeg', ext: 'jpg' };
  // PNG: 8-byte signature followed by the IHDR chunk.
  if (startsWith(buf, PNG) && startsWith(buf, ascii('IHDR'), 12)) return { type: 'image/png', ext: 'png' };
  // WebP: RIFF container whose form type is WEBP, with a VP8/VP8L/VP8X chunk.
  if (
    startsWith(buf, ascii('RIFF')) &&
    startsWith(buf, ascii('WEBP'), 8) &&
    startsWith(buf, ascii('VP8'), 12)
  )
    return { type: 'image/webp', ext: 'webp' };
  return null;
}
