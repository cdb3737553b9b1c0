// 责令限期整改通知书: the paper a township's officer hands the party when the desk records 责令整改,
// filled from the case and its latest order. An official document, so in Chinese whatever the page's
// language; the party (当事人), the officers on site with their 执法证号 and the signatures are left
// blank to be written by hand: the platform records the problem, not the party, and the account that
// recorded the order is a desk's, not an enforcement officer's.
import type { CaseView } from '@shared/cases';
import { shanghaiClock } from '@/lib/shanghai-time';

export interface RectificationNotice {
  /** 编号: the case number and which order it is (a second 责令整改 after 核查不通过 is -2). */
  serial: string;
  /** The unit that ordered it (the case's assignee). */
  unit: string;
  reportedOn: string;
  /** The township and the finest grid named: 东城街道城东社区1-1微网格. */
  place: string;
  matter: string;
  /** The report's description, without its closing stop (the sentence ends it). */
  facts: string;
  legalBasis: string;
  /** 整改期限, to the minute; null when the order set none (the finish deadline stands). */
  deadline: string | null;
  /** The order's note (整改要求); '' when none. */
  requirement: string;
  issuedOn: string;
}

// Dates as an official document writes them (GB/T 9704): 2026年12月6日, no leading zeros; 9时05分.
const day = (t: number) => {
  const c = shanghaiClock(t);
  return `${c.year}年${Number(c.month)}月${Number(c.day)}日`;
};
const minute = (t: number) => {
  const c = shanghaiClock(t);
  const [h, m] = c.time.split(':');
  return `${day(t)}${Number(h)}时${m}分`;
};

/** The notice for a case's latest 责令整改; null when it has had none (or its timeline is not read). */
export function rectificationNotice(c: CaseView): RectificationNotice | null {
  const orders = (c.timeline ?? []).filter((e) => e.type === 'order_rectification');
  const order = orders.at(-1);
  if (!order) return null;
  const deadline = Number(order.payload.deadline);
  const loc = c.location;
  return {
    serial: c.no ? `${c.no}-${orders.length}` : `${c.id.slice(0, 8)}-${orders.length}`,
    unit: c.assignee?.name ?? '',
    reportedOn: day(c.createdAt),
    // The township and the finest grid named (a micro grid's name carries its community's).
    place: [loc?.township?.name, (loc?.micro ?? loc?.second ?? loc?.first)?.name].filter(Boolean).join(''),
    matter: c.matterName,
    facts: c.description.trim().replace(/[。.！!；;，,\s]+$/u, ''),
    legalBasis: c.legalBasis,
    deadline: Number.isFinite(deadline) && deadline > 0 ? minute(deadline) : null,
    requirement: typeof order.payload.note === 'string' ? order.payload.note : '',
    issuedOn: day(order.at),
  };
}
