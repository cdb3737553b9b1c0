// GET /api/cases read page by page, for the big screen's streams and the desks' lists: each page
// is checked (items, cursor, the event head it reflects) and handed over as it arrives, and the
// reader resolves with the lowest head of its pages, the resume cursor a client follows on from.
import { api } from './http';

/** Cases per page. */
export const CASE_PAGE = 500;

export function caseListPath(query: string, cursor: string | null): string {
  return `/api/cases?${query}&limit=${CASE_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
}

/**
 * Every page of one list `query` (up to `maxItems`), each page's items handed to `onPage`;
 * resolves with the lowest event `head` of the pages. A malformed answer rejects.
 */
export async function readCaseList(
  query: string,
  onPage: (items: unknown[]) => void,
  opts: { maxItems: number; priority?: RequestPriority },
): Promise<number> {
  let head = Infinity;
  let loaded = 0;
  let cursor: string | null = null;
  do {
    const r: { items?: unknown; nextCursor?: unknown; head?: unknown } | null = await api(
      caseListPath(query, cursor),
      opts.priority ? { priority: opts.priority } : {},
    );
    if (!r || !Array.isArray(r.items) || !Number.isSafeInteger(r.head) || (r.head as number) < 0)
      throw new Error('案件列表应答格式有误，请刷新页面重试 (malformed case list answer)');
    head = Math.min(head, r.head as number);
    onPage(r.items);
    loaded += r.items.length;
    cursor = typeof r.nextCursor === 'string' && r.nextCursor ? r.nextCursor : null;
  } while (cursor && loaded < opts.maxItems);
  return head;
}
