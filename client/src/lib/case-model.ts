// The case as the big screen holds it, normalised from the case API (issue 4 contract) so the rest
// of the client reads one shape whatever optional fields the server sends.
import type { Jurisdiction } from '../../../shared/geo';
import type { ExtensionRequest, MergedReport } from '../../../shared/cases';

export const CASE_STATES = [
  'reported',
  'dispatched',
  'accepted',
  'in_progress',
  'rectifying',
  'resolved',
  'closed',
  'returned',
  'rejected',
] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const FINAL_STATES: readonly CaseState[] = ['closed', 'rejected'];
export const isOpen = (s: CaseState): boolean => !FINAL_STATES.includes(s);
/**
 * The states a case is open in, in the order the screen lists them (the legend): the
 * same states as shared/workflow.ts's OPEN_STATES, ordered for display (returned second).
 */
export const OPEN_STATES: readonly CaseState[] = [
  'reported',
  'returned',
  'dispatched',
  'accepted',
  'in_progress',
  'rectifying',
  'resolved',
];

/** Marker colours by state, chosen to read on the dark map from across a room. */
export const STATE_COLORS: Record<CaseState, string> = {
  reported: '#ff9f1c',
  returned: '#ff5fa2',
  dispatched: '#3ea6ff',
  accepted: '#38d9f5',
  in_progress: '#21c07a',
  rectifying: '#b388ff',
  resolved: '#9be15d',
  closed: '#6b7a90',
  rejected: '#4a5568',
};

export interface PartyRef {
  kind: 'township' | 'department';
  code: string;
  name: string;
}

export interface CaseRoute {
  assignee: PartyRef;
  cooperating: PartyRef[];
  reason: string;
}

export interface Deadlines {
  acknowledge: number | null;
  arrive: number | null;
  finish: number | null;
  rectify: number | null;
}

export interface TimelineEntry {
  seq: number;
  type: string;
  actor: string;
  /** The account that acted (its username), when the server names one. */
  actorUsername?: string;
  /** The system acted (automatic dispatch, the deadline monitor): its recorded name is Chinese. */
  system?: boolean;
  at: number;
  reason?: string;
  payload?: Record<string, unknown>;
}

export interface CaseItem {
  id: string;
  /** 案件编号, `20261204-0012`; '' from a server that sends none. */
  no: string;
  version: number;
  status: CaseState;
  matterCode: string;
  matterName: string;
  domain: string;
  legalBasis: string;
  description: string;
  source: string;
  /** Who reported it (反映人: a 12345 caller, a grid worker), to call back; null: no one named. */
  reporter?: { name?: string; phone?: string } | null;
  /** The photos the source sent with the clue (上报照片): our API's URLs or the source's own. */
  photos: string[];
  lng: number;
  lat: number;
  location: Jurisdiction | null;
  route: CaseRoute | null;
  /** The party the case is with now (may differ from the route after an override). */
  assignee: PartyRef | null;
  deadlines: Deadlines;
  overdue: boolean;
  /**
   * The deadline it is overdue on: of those marked missed and still unmet, the one due first; null
   * when none (the case is not overdue, or the server sent no deadlines' state).
   */
  missed: { kind: MissedKind; dueAt: number } | null;
  escalated: boolean;
  /** How many times the command centre has escalated it (督办), and when last; null if never. */
  escalations: number;
  escalatedAt: number | null;
  /** The assignee's 延期申请 waiting for the command centre; null when none waits. */
  extensionRequest: ExtensionRequest | null;
  /** Extensions granted (同意延期) so far. */
  extensions: number;
  /** Possible duplicate of this case (same matter within 50 m). */
  duplicateOf: string | null;
  /** The case this one was merged into (合并): closed as a duplicate (its state is `rejected`). */
  mergedInto: string | null;
  createdAt: number;
  updatedAt: number;
  /**
   * When it entered its current state (the 退回 of a returned case, the order of a rectifying one):
   * its clock starts there; null from a server that sends none (then `updatedAt`).
   */
  statusSince: number | null;
  dispatchedAt: number | null;
  acknowledgedAt: number | null;
  arrivedAt: number | null;
  /** When the assignee reported it done (办结): the command centre's verification waits from then. */
  resolvedAt: number | null;
  closedAt: number | null;
  timeline: TimelineEntry[] | null;
  /** The duplicates merged into it (with the timeline, from GET /api/cases/:id); null: not read. */
  mergedFrom: MergedReport[] | null;
  /** While it is returned (被退回): who sent it back, when, why (its last 退回); else null. */
  lastReturn: { at: number; by: PartyRef | null; reason: string } | null;
}

type Raw = Record<string, unknown>;

const MISSED_KINDS = ['acknowledge', 'arrive', 'finish', 'rectify'] as const;
export type MissedKind = (typeof MISSED_KINDS)[number];

/** A reporter's name and phone, where the server sent them as text. */
function reporterOf(v: unknown): { name?: string; phone?: string } | null {
  const r = obj(v);
  if (!r) return null;
  return {
    name: typeof r.name === 'string' ? r.name : undefined,
    phone: typeof r.phone === 'string' ? r.phone : undefined,
  };
}

/** A report merged into the case, as the panel shows it; null when it lacks an id. */
function mergedReport(v: unknown): MergedReport | null {
  const m = obj(v);
  if (!m || typeof m.id !== 'string') return null;
  return {
    id: m.id,
    no: str(m.no),
    createdAt: time(m.createdAt) ?? 0,
    source: str(m.source) as MergedReport['source'],
    description: str(m.description),
    reporter: reporterOf(m.reporter),
    photos: Array.isArray(m.photos) ? m.photos.filter((u): u is string => typeof u === 'string') : [],
  };
}

/** A waiting 延期申请, when the server sent one whole. */
function extensionOf(v: unknown): ExtensionRequest | null {
  const e = obj(v);
  const [at, finishDue, until] = [time(e?.at), time(e?.finishDue), time(e?.until)];
  const days = Number(e?.days);
  if (!e || !Number.isInteger(days) || at === null || finishDue === null || until === null) return null;
  return { days, reason: str(e.reason), at, by: str(e.by), finishDue, until };
}

/** The missed, unmet deadline due first, from the server's `deadlineState`. */
function missedOf(v: unknown): CaseItem['missed'] {
  const state = obj(v);
  let out: CaseItem['missed'] = null;
  for (const kind of MISSED_KINDS) {
    const d = obj(state?.[kind]);
    const dueAt = time(d?.dueAt);
    if (dueAt === null || time(d?.overdueAt) === null || time(d?.metAt) !== null) continue;
    if (!out || dueAt < out.dueAt) out = { kind, dueAt };
  }
  return out;
}

function time(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
const str = (v: unknown, d = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d;
const obj = (v: unknown): Raw | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : null);

function party(v: unknown): PartyRef | null {
  const o = obj(v);
  if (!o || typeof o.code !== 'string') return null;
  return {
    kind: o.kind === 'department' ? 'department' : 'township',
    code: o.code,
    name: str(o.name, o.code),
  };
}

function lastReturn(v: unknown): CaseItem['lastReturn'] {
  const o = obj(v);
  const at = o && time(o.at);
  return o && at !== null ? { at, by: party(o.by), reason: str(o.reason) } : null;
}

function route(v: unknown): CaseRoute | null {
  const o = obj(v);
  const assignee = o && party(o.assignee);
  if (!o || !assignee) return null;
  const cooperating = Array.isArray(o.cooperating)
    ? o.cooperating.map(party).filter((p): p is PartyRef => !!p)
    : [];
  return { assignee, cooperating, reason: str(o.reason) };
}

function timeline(v: unknown): TimelineEntry[] | null {
  if (!Array.isArray(v)) return null;
  return v.map((e): TimelineEntry => {
    const o = obj(e) ?? {};
    const payload = obj(o.payload) ?? undefined;
    const actor = obj(o.actor);
    return {
      seq: Number(o.seq ?? 0),
      type: str(o.type),
      actor: actor ? str(actor.displayName ?? actor.name ?? actor.username) : str(o.actor),
      ...(actor?.id === 'system' ? { system: true } : {}),
      ...(typeof actor?.username === 'string' ? { actorUsername: actor.username } : {}),
      at: time(o.at) ?? 0,
      reason:
        typeof o.reason === 'string'
          ? o.reason
          : typeof payload?.reason === 'string'
            ? payload.reason
            : undefined,
      payload,
    };
  });
}

/** Read a case as the server sends it; null when it lacks what every view needs (id, state, place). */
export function normaliseCase(input: unknown): CaseItem | null {
  const o = obj(input);
  if (!o || (typeof o.id !== 'string' && typeof o.id !== 'number')) return null;
  const status = str(o.status ?? o.state) as CaseState;
  if (!CASE_STATES.includes(status)) return null;
  const loc = obj(o.location) ?? obj(o.point);
  const lng = Number(o.lng ?? loc?.lng);
  const lat = Number(o.lat ?? loc?.lat);
  if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
  const matter = obj(o.matter);
  const dl = obj(o.deadlines) ?? {};
  const jurisdiction = obj(o.jurisdiction) ?? (loc && obj(loc.township) ? loc : null);
  const r = route(o.route);
  return {
    id: String(o.id),
    no: str(o.no),
    version: Number(o.version ?? 0),
    status,
    matterCode: str(o.matterCode ?? matter?.code),
    matterName: str(o.matterName ?? matter?.name, str(o.matterCode)),
    domain: str(o.domain ?? matter?.domain, '其他'),
    legalBasis: str(o.legalBasis ?? matter?.legalBasis),
    description: str(o.description),
    source: str(o.source),
    reporter: reporterOf(o.reporter),
    photos: Array.isArray(o.photos) ? o.photos.filter((u): u is string => typeof u === 'string') : [],
    lng,
    lat,
    location: jurisdiction as Jurisdiction | null,
    route: r,
    // The server's own word when it sends one (null: with nobody — rejected, merged, returned).
    assignee: 'assignee' in o ? party(o.assignee) : status === 'reported' ? null : (r?.assignee ?? null),
    deadlines: {
      acknowledge: time(dl.acknowledge),
      arrive: time(dl.arrive),
      finish: time(dl.finish),
      rectify: time(dl.rectify),
    },
    overdue: o.overdue === true || (Array.isArray(o.overdue) && o.overdue.length > 0),
    missed: missedOf(o.deadlineState),
    escalated: o.escalated === true || Number(o.escalations ?? 0) > 0,
    escalations: Math.max(0, Math.trunc(Number(o.escalations ?? 0)) || 0),
    escalatedAt: time(o.escalatedAt),
    extensionRequest: extensionOf(o.extensionRequest),
    extensions: Math.max(0, Math.trunc(Number(o.extensions ?? 0)) || 0),
    duplicateOf: typeof o.duplicateOf === 'string' ? o.duplicateOf : null,
    mergedInto: typeof o.mergedInto === 'string' && o.mergedInto ? o.mergedInto : null,
    createdAt: time(o.createdAt ?? o.reportedAt) ?? 0,
    updatedAt: time(o.updatedAt ?? o.createdAt) ?? 0,
    statusSince: time(o.statusSince),
    dispatchedAt: time(o.dispatchedAt),
    acknowledgedAt: time(o.acknowledgedAt),
    arrivedAt: time(o.arrivedAt),
    resolvedAt: time(o.resolvedAt),
    closedAt: time(o.closedAt),
    timeline: timeline(o.timeline),
    mergedFrom: Array.isArray(o.mergedFrom) ? o.mergedFrom.map(mergedReport).filter((m) => !!m) : null,
    lastReturn: status === 'returned' ? lastReturn(o.lastReturn) : null,
  };
}

/** 'township › first › second › micro' plus dedicated grids, for the dispatch panel. */
export function locationChain(loc: Jurisdiction | null): { chain: string[]; dedicated: string[] } {
  if (!loc) return { chain: [], dedicated: [] };
  const chain = [loc.township, loc.first, loc.second, loc.micro].filter(Boolean).map((u) => u.name);
  return { chain, dedicated: (loc.dedicated ?? []).map((u) => u.name) };
}
