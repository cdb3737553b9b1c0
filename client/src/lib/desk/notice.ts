// 责令限期整改通知书: the paper a township's officer hands the party when the desk records 责令整改,
// filled from the case and its latest order. An official document, so in Chinese whatever the page's
// language; the party (当事人) and the signatures are left blank to be written by hand, as the
// platform records the problem, not the party.
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
  officer: string;
  issuedOn: string;
}

const day = (t: number) => {
  const c = shanghaiClock(t);
  return `${c.year}年${c.month}月${c.day}日`;
};
const minute = (t: number) => {
  const c = shanghaiClock(t);
  const [h, m] = c.time.split(':');
  return `${day(t)}${h}时${m}分`;
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
    officer: order.actor.displayName,
    issuedOn: day(order.at),
  };
}
