// The sizes both sides enforce on what crosses a boundary, in a module of their own (no zod), so a
// page that only needs a limit (an input's maxlength) does not load the schemas' library with it.
/** The longest username an account may have (the login page's box stops there too). */
export const USERNAME_MAX = 64;
export const DESCRIPTION_MAX = 2000;
export const REASON_MAX = 500;
export const NOTE_MAX = 2000;
export const PHOTOS_MAX = 9;
/** The most days one extension of the 办结 deadline (延期) may ask for or grant. */
export const EXTENSION_MAX_DAYS = 30;
export const PHOTO_URL_MAX = 1024;
/** The longest free-text search GET /api/cases takes (`q`). */
export const SEARCH_MAX = 50;
/** A possible duplicate: an open case of the same matter this close (metres). */
export const DUPLICATE_RADIUS_M = 50;
