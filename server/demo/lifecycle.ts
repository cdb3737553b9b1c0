// How the simulated people of the county work a case: a script drawn once per case (will the
// township return it, will it be late, ordered to rectify, sent back for rework, chased …) and,
// from the case as it now stands, the next action, who takes it and after how long. Pure; the
// history generator runs it on simulated time, the live simulator on a compressed real clock.
import type { CaseActionInput, CaseView, DeadlineKind, PartyInput } from '../../shared/cases';
import { DEADLINE_LABELS, isRunning } from '../../shared/cases';
import { DAY_MS, HOUR_MS } from '../../shared/time';
import { isFinal } from '../../shared/workflow';
import { between, pick, type MatterInfo, type Rand } from './world';

const MIN = 60_000;
const SEC = 1000;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An action as the simulated person means it; the version is added when it is sent. */
export type ActionBody = DistributiveOmit<CaseActionInput, 'version'>;

/** Which lifecycle path a case takes, drawn once. Flags combine, as they do in real work. */
export interface CaseScript {
  /** The assignee returns the task (退回) the first time it is dispatched. */
  returnFirst: boolean;
  /** … and the command centre then refuses the case (不予立案) rather than dispatching it again. */
  rejectAfterReturn: boolean;
  /** … or sends it to the other party (改派) rather than back to the same one. */
  reassignAfterReturn: boolean;
  /** A case waiting for the operator (near a boundary) is refused (不予立案: 经核实不属实). */
  rejectReported: boolean;
  /** A possible duplicate is merged into the open case it repeats. */
  mergeDuplicate: boolean;
  lateAck: boolean;
  lateArrive: boolean;
  lateFinish: boolean;
  /** Ordered to rectify (责令整改); `rectifyLate`: the party misses the deadline. */
  rectify: boolean;
  rectifyLate: boolean;
  /** The command centre's check fails once (核查不通过 → 返工). */
  rework: boolean;
  /** The command centre chases (督办) the case once it is overdue. */
  escalate: boolean;
  /** The assignee asks for more days on the 办结 deadline once (延期申请) … */
  extend: boolean;
  /** … and the command centre refuses (不同意延期) rather than grants them. */
  extendDenied: boolean;
  /** People sent out (出动人次). */
  personnel: number;
}

/** The probabilities behind drawScript, exported for the tests that check the mix. */
export const SCRIPT_ODDS = {
  returnFirst: 0.07,
  rejectAfterReturn: 0.35,
  reassignAfterReturn: 0.45,
  rejectReported: 0.05,
  mergeDuplicate: 0.8,
  lateAck: 0.09,
  lateArrive: 0.1,
  lateFinish: 0.07,
  rectify: 0.22,
  rectifyLate: 0.2,
  rework: 0.06,
  escalate: 0.65,
  extend: 0.06,
  extendDenied: 0.25,
} as const;

export function drawScript(rand: Rand): CaseScript {
  const o = SCRIPT_ODDS;
  const returnFirst = rand() < o.returnFirst;
  const rejectAfterReturn = returnFirst && rand() < o.rejectAfterReturn;
  const rectify = rand() < o.rectify;
  return {
    returnFirst,
    rejectAfterReturn,
    reassignAfterReturn: returnFirst && !rejectAfterReturn && rand() < o.reassignAfterReturn,
    rejectReported: rand() < o.rejectReported,
    mergeDuplicate: rand() < o.mergeDuplicate,
    lateAck: rand() < o.lateAck,
    lateArrive: rand() < o.lateArrive,
    lateFinish: rand() < o.lateFinish,
    rectify,
    rectifyLate: rectify && rand() < o.rectifyLate,
    rework: rand() < o.rework,
    escalate: rand() < o.escalate,
    personnel: 2 + Math.floor(rand() * 5),
    // Drawn last, so this case's other flags draw as before 延期 (the clues after it in the history
    // draw from the same stream, and are not the same as before).
    ...extension(rand),
  };
}

function extension(rand: Rand): Pick<CaseScript, 'extend' | 'extendDenied'> {
  const extend = rand() < SCRIPT_ODDS.extend;
  return { extend, extendDenied: extend && rand() < SCRIPT_ODDS.extendDenied };
}

/** What has already happened to the case that its view does not tell. */
export interface CaseProgress {
  returned: boolean;
  reworked: boolean;
  escalated: boolean;
  /** It has asked for more time (延期申请), once. */
  extensionAsked: boolean;
  /**
   * Not to be merged: the original finished first (the merge was refused, or the screen would not
   * offer it). It is dealt with as a case of its own.
   */
  mergeOff: boolean;
  /**
   * The case came back to work (整改完成 for the re-check on site, 核查不通过 for the rework) and the
   * team has not been back on site since: its next step is another 到场, then the result. Set by
   * noteDone for the history; the live simulator also reads it from the timeline (its 到场 waits for
   * the team to be back at the site).
   */
  revisit: boolean;
}

export const freshProgress = (): CaseProgress => ({
  returned: false,
  reworked: false,
  escalated: false,
  extensionAsked: false,
  mergeOff: false,
  revisit: false,
});

/**
 * An action the server refused (422). A merge into an original that finished meanwhile is never
 * allowed again (the server says: dispatch it as a new case), so the case is not merged: planning
 * the merge again would be refused for ever and leave it waiting in the queue.
 */
export function noteRefused(p: CaseProgress, action: ActionBody['action']): void {
  if (action === 'merge') p.mergeOff = true;
}

export function noteDone(p: CaseProgress, action: ActionBody['action']): void {
  if (action === 'return') p.returned = true;
  if (action === 'verify_fail') p.reworked = true;
  if (action === 'escalate') p.escalated = true;
  if (action === 'request_extension') p.extensionAsked = true;
  // 整改完成 and 核查不通过 send the team back to the site: another 到场 before 办结.
  if (action === 'report_rectified' || action === 'verify_fail') p.revisit = true;
  if (action === 'arrive') p.revisit = false;
}

/** The parts of a case the next step depends on. */
export type CaseState = Pick<
  CaseView,
  | 'status'
  | 'duplicateOf'
  | 'route'
  | 'assignee'
  | 'location'
  | 'arrivedAt'
  | 'dispatchedAt'
  | 'deadlines'
  | 'deadlineState'
  | 'overdue'
  | 'escalations'
  | 'extensionRequest'
>;

export interface PlannedStep {
  /** The command centre, or the party the case is assigned to. */
  actor: 'command' | 'assignee';
  body: ActionBody;
  /** From now. */
  delayMs: number;
}

/**
 * How long people take. History: real durations against the matter's limits (hours, days).
 * Live: the same shape compressed to seconds and minutes, so a person watching sees work move.
 */
export interface Timing {
  /** The operator looks at a case waiting for review. */
  review(rand: Rand): number;
  /** From dispatch to 签收, given the matter's limit. */
  acknowledge(rand: Rand, limitMs: number, late: boolean): number;
  /** From dispatch to 退回. */
  returnTask(rand: Rand): number;
  redispatch(rand: Rand): number;
  /** From 签收 to 派出队伍. */
  start(rand: Rand): number;
  /** From now to 到场, given how long until the arrival deadline. */
  arrive(rand: Rand, dueInMs: number, late: boolean): number;
  /** From arrival to 责令整改. */
  order(rand: Rand): number;
  /** The rectification deadline to set (epoch ms), or undefined for the matter's default. */
  rectifyDeadline(
    rand: Rand,
    now: number,
    finishDueAt: number | null,
    rectifyDays: number,
    late: boolean,
  ): number | undefined;
  /** From the order to 整改完成, given how long until its deadline. */
  rectify(rand: Rand, dueInMs: number, late: boolean): number;
  /** From now to 办结, given how long until the finish deadline. */
  resolve(rand: Rand, dueInMs: number, late: boolean): number;
  verify(rand: Rand): number;
  /** From noticing an overdue case to 督办. */
  escalate(rand: Rand): number;
  /** From now to a 延期申请, given how long until the finish deadline (asked well before it). */
  askExtension(rand: Rand, dueInMs: number): number;
  /** The command centre's answer to it, given how long until the deadline it would move. */
  decideExtension(rand: Rand, dueInMs: number): number;
}

export const HISTORY_TIMING: Timing = {
  review: (r) => between(r, 5, 60) * MIN,
  acknowledge: (r, limit, late) => (late ? limit * between(r, 1.2, 4) : limit * between(r, 0.1, 0.6)),
  returnTask: (r) => between(r, 10, 50) * MIN,
  redispatch: (r) => between(r, 15, 120) * MIN,
  start: (r) => between(r, 2, 15) * MIN,
  // On time when there is time left; a team sent with minutes to spare may still be a little late.
  arrive: (r, dueIn, late) =>
    late
      ? Math.max(0, dueIn) + between(r, 10, 120) * MIN
      : dueIn > 10 * MIN
        ? Math.min(between(r, 10, 40) * MIN, dueIn * between(r, 0.5, 0.95))
        : between(r, 5, 10) * MIN,
  order: (r) => between(r, 10, 60) * MIN,
  rectifyDeadline: (r, now, finishDue, days, late) => {
    const remaining = finishDue === null ? 0 : finishDue - now;
    if (late || remaining < 4 * HOUR_MS) return undefined;
    return now + Math.min(days * DAY_MS, remaining * between(r, 0.5, 0.8));
  },
  rectify: (r, dueIn, late) =>
    late ? dueIn + Math.max(HOUR_MS, dueIn * between(r, 0.1, 0.5)) : dueIn * between(r, 0.3, 0.9),
  resolve: (r, dueIn, late) =>
    late
      ? Math.max(0, dueIn) + between(r, 1, 24) * HOUR_MS
      : Math.max(20 * MIN, dueIn * (0.05 + 0.55 * r() ** 2)),
  verify: (r) => between(r, 20, 8 * 60) * MIN,
  escalate: (r) => between(r, 20, 180) * MIN,
  askExtension: (r, dueIn) => Math.max(0, dueIn) * between(r, 0.2, 0.5),
  decideExtension: (r, dueIn) => Math.min(between(r, 10, 120) * MIN, Math.max(0, dueIn) * 0.5),
};

export const LIVE_TIMING: Timing = {
  review: (r) => between(r, 5, 25) * SEC,
  acknowledge: (r, limit, late) => (late ? limit + between(r, 1, 8) * MIN : between(r, 5, 40) * SEC),
  returnTask: (r) => between(r, 10, 30) * SEC,
  redispatch: (r) => between(r, 8, 30) * SEC,
  start: (r) => between(r, 5, 20) * SEC,
  arrive: (r, dueIn, late) =>
    late ? Math.max(0, dueIn) + between(r, 1, 5) * MIN : between(r, 30, 120) * SEC,
  order: (r) => between(r, 20, 60) * SEC,
  // A few minutes, so a late one is marked overdue while someone is watching.
  rectifyDeadline: (r, now) => now + between(r, 2, 5) * MIN,
  rectify: (r, dueIn, late) => (late ? dueIn + between(r, 0.5, 2) * MIN : dueIn * between(r, 0.4, 0.9)),
  resolve: (r) => between(r, 40, 120) * SEC,
  verify: (r) => between(r, 10, 40) * SEC,
  escalate: (r) => between(r, 10, 60) * SEC,
  askExtension: (r) => between(r, 10, 40) * SEC,
  decideExtension: (r) => between(r, 10, 40) * SEC,
};

const RETURN_REASONS = [
  '不属于本单位职责范围，请重新派遣',
  '点位信息有误，经核实不在本辖区',
  '需其他部门牵头处置',
];
const REJECT_REASONS = ['经核实，反映问题不属实', '现场核查未发现问题', '不属于综合执法事项'];
const REJECT_AFTER_RETURN = ['经协调，不属于综合执法范围，不予立案', '当事人已自行整改，不予立案'];
const RESULTS = [
  '已现场责令当事人改正，问题处置完毕',
  '执法人员到场劝导，当事人已自行清理',
  '已依法作出处罚决定，现场恢复原状',
  '已下达责令改正通知书，当事人当场整改',
];
const RECTIFIED_RESULTS = ['当事人已按要求整改到位，复查合格', '经复查，整改完成，予以办结'];
const REWORK_REASONS = ['现场复核仍有问题，返工处理', '整改不彻底，请重新处置'];
const EXTENSION_REASONS = [
  '当事人外出，需待其返回后现场处置',
  '需协调县直部门联合执法',
  '需等待检测鉴定结果',
  '涉及多方当事人，需进一步调查取证',
];
const EXTENSION_DENIALS = ['现有时限内可以办结，请抓紧办理', '理由不充分，请按期办结'];

/**
 * The next action on a case and when, or null when nothing is due (final, or waiting for nobody).
 * `teamId` is the team the assignee sends when it starts work.
 */
export function nextStep(
  c: CaseState,
  matter: MatterInfo,
  script: CaseScript,
  progress: CaseProgress,
  timing: Timing,
  now: number,
  rand: Rand,
  teamId?: string,
): PlannedStep | null {
  const hours = (h: number) => h * HOUR_MS;
  switch (c.status) {
    case 'reported': {
      const delayMs = timing.review(rand);
      if (c.duplicateOf && script.mergeDuplicate && !progress.mergeOff)
        return {
          actor: 'command',
          body: { action: 'merge', into: c.duplicateOf, reason: '重复上报，合并处理' },
          delayMs,
        };
      if (script.rejectReported)
        return { actor: 'command', body: { action: 'reject', reason: pick(REJECT_REASONS, rand) }, delayMs };
      return { actor: 'command', body: { action: 'dispatch', note: '经核实，立案派遣' }, delayMs };
    }
    case 'returned': {
      const delayMs = timing.redispatch(rand);
      if (script.rejectAfterReturn)
        return {
          actor: 'command',
          body: { action: 'reject', reason: pick(REJECT_AFTER_RETURN, rand) },
          delayMs,
        };
      const other = otherParty(c, matter);
      if (script.reassignAfterReturn && other)
        return {
          actor: 'command',
          body: { action: 'reassign', assignee: other, reason: '按执法权限改派' },
          delayMs,
        };
      return { actor: 'command', body: { action: 'dispatch', note: '经协调，重新派遣' }, delayMs };
    }
    case 'dispatched': {
      if (script.returnFirst && !progress.returned)
        return {
          actor: 'assignee',
          body: { action: 'return', reason: pick(RETURN_REASONS, rand) },
          delayMs: timing.returnTask(rand),
        };
      const since = c.dispatchedAt === null ? 0 : now - c.dispatchedAt;
      const at = timing.acknowledge(rand, hours(matter.limits.acknowledge), script.lateAck);
      return { actor: 'assignee', body: { action: 'acknowledge' }, delayMs: Math.max(at - since, 0) };
    }
    case 'accepted':
      return {
        actor: 'assignee',
        body: { action: 'start', personnel: script.personnel, ...(teamId ? { teamId } : {}) },
        delayMs: timing.start(rand),
      };
    case 'in_progress': {
      if (c.arrivedAt === null) {
        const due = c.deadlines.arrive ?? now;
        return {
          actor: 'assignee',
          body: { action: 'arrive' },
          delayMs: timing.arrive(rand, due - now, script.lateArrive),
        };
      }
      // Back on site after 整改完成 / 返工: no arrival deadline runs (the first 到场 met it), on time.
      if (progress.revisit)
        return {
          actor: 'assignee',
          body: { action: 'arrive' },
          delayMs: timing.arrive(rand, Infinity, false),
        };
      if (script.rectify && c.deadlineState.rectify === undefined) {
        const deadline = timing.rectifyDeadline(
          rand,
          now,
          c.deadlines.finish,
          matter.limits.rectify,
          script.rectifyLate || script.lateFinish,
        );
        return {
          actor: 'assignee',
          body: {
            action: 'order_rectification',
            ...(deadline ? { deadline: Math.round(deadline) } : {}),
            note: '下达责令限期整改通知书',
          },
          delayMs: timing.order(rand),
        };
      }
      // 延期申请: waiting, the command centre answers before the deadline it would move; not yet
      // asked, the assignee asks while the deadline is still a way off.
      const finish = c.deadlineState.finish;
      const running = isRunning(finish);
      if (c.extensionRequest && running)
        return {
          actor: 'command',
          body: script.extendDenied
            ? { action: 'deny_extension', reason: pick(EXTENSION_DENIALS, rand) }
            : { action: 'approve_extension', note: '同意延期' },
          delayMs: timing.decideExtension(rand, finish.dueAt - now),
        };
      if (script.extend && !progress.extensionAsked && running && finish.dueAt - now > hours(2))
        return {
          actor: 'assignee',
          body: {
            action: 'request_extension',
            days: 2 + Math.floor(rand() * 4),
            reason: pick(EXTENSION_REASONS, rand),
          },
          delayMs: timing.askExtension(rand, finish.dueAt - now),
        };
      const finishDue = c.deadlines.finish ?? now;
      const rectified = c.deadlineState.rectify !== undefined;
      return {
        actor: 'assignee',
        body: { action: 'resolve', result: pick(rectified ? RECTIFIED_RESULTS : RESULTS, rand) },
        delayMs: timing.resolve(rand, finishDue - now, script.lateFinish && !progress.reworked),
      };
    }
    case 'rectifying': {
      const due = c.deadlines.rectify ?? now;
      return {
        actor: 'assignee',
        body: { action: 'report_rectified', note: '当事人已整改，执法人员现场复查' },
        delayMs: timing.rectify(rand, due - now, script.rectifyLate),
      };
    }
    case 'resolved':
      if (script.rework && !progress.reworked)
        return {
          actor: 'command',
          body: { action: 'verify_fail', reason: pick(REWORK_REASONS, rand) },
          delayMs: timing.verify(rand),
        };
      return {
        actor: 'command',
        body: { action: 'verify_pass', note: '核查通过，予以结案' },
        delayMs: timing.verify(rand),
      };
    default:
      return null;
  }
}

/** The command centre chases an overdue open case once (督办), naming what is late. */
export function escalation(c: CaseState, script: CaseScript, progress: CaseProgress): ActionBody | null {
  if (!script.escalate || progress.escalated || c.escalations > 0 || !c.overdue || isFinal(c.status))
    return null;
  const late = (
    Object.entries(c.deadlineState) as Array<
      [DeadlineKind, { metAt: number | null; overdueAt: number | null }]
    >
  )
    .filter(([, d]) => d.overdueAt !== null && d.metAt === null)
    .map(([k]) => DEADLINE_LABELS[k]);
  return { action: 'escalate', reason: `${late.length ? late.join('、') : '办理'}超时，请加快处置并反馈` };
}

/** The next running deadline (epoch ms), for knowing when to look for an overdue mark. */
export function nextDeadline(c: CaseState): number | null {
  let best: number | null = null;
  for (const d of Object.values(c.deadlineState))
    if (d && d.metAt === null && d.overdueAt === null && (best === null || d.dueAt < best)) best = d.dueAt;
  return best;
}

/** The demo team of a party (server/teams/demo-teams.ts): T<township code>, D<department code>. */
export function teamOf(p: { kind: string; code: string }): string {
  return p.kind === 'township' ? `T${p.code}` : `D${p.code}`;
}

/** Township ↔ owning department: where a returned task may be reassigned. */
function otherParty(c: CaseState, matter: MatterInfo): PartyInput | null {
  const current = c.route.assignee;
  if (current.kind === 'township') return { kind: 'department', code: matter.department };
  return { kind: 'township', code: c.location.township.code };
}
