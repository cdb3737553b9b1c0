// GET /api/cases read page by page, for the big screen's streams and the desks' lists: each page
// is checked (items, cursor, the event head it reflects) and handed over as it arrives, and the
// reader resolves with the lowest head of its pages, the resume cursor a client follows on from.
import { normaliseCase, type CaseItem } from '@/lib/case-model';
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

/**
 * GET /api/cases?q=: the cases a search finds (a case number or part of an id, a phone by its
 * digits, a name, a place, words of the description), newest first, `limit` of them, with how many
 * there are in all; `query` narrows it (more of the query, already encoded).
 */
export async function searchCases(
  q: string,
  limit: number,
  opts: { query?: string; signal?: AbortSignal } = {},
): Promise<{ items: CaseItem[]; total: number }> {
  const r = await api<{ items: unknown[]; total: number }>(
    `/api/cases?q=${encodeURIComponent(q)}&limit=${limit}${opts.query ? `&${opts.query}` : ''}`,
    opts.signal ? { signal: opts.signal } : {},
  );
  return { items: r.items.map(normaliseCase).filter((c): c is CaseItem => !!c), total: r.total };
}
