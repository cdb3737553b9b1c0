// The case lifecycle (GB/T 30428 信息采集→案卷建立→任务派遣→任务处理→处理反馈→核查结案) as one table:
// state × action → next state, and who may do it. The server enforces it; the client offers only
// the actions it allows.
import type { Role } from './auth';

export const CASE_STATES = [
  'reported', // 上报
  'dispatched', // 已派遣
  'accepted', // 已签收
  'in_progress', // 处置中
  'rectifying', // 整改中
  'resolved', // 已办结
  'closed', // 已结案
  'returned', // 已退回
  'rejected', // 不予立案 / 已合并
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const FINAL_STATES: readonly CaseState[] = ['closed', 'rejected'];
export const OPEN_STATES: readonly CaseState[] = CASE_STATES.filter((s) => !FINAL_STATES.includes(s));
export const isFinal = (s: CaseState): boolean => FINAL_STATES.includes(s);

/**
 * The states an extension of the 办结 deadline (延期) may be asked for and decided in: the work is
 * the assignee's, accepted (签收) and not yet reported done (the 办结 clock itself runs from 派遣).
 * A request still undecided when the case leaves them (办结, 改派) lapses.
 */
export const EXTENSION_STATES: readonly CaseState[] = ['accepted', 'in_progress', 'rectifying'];

/** The states in which a unit holds the work (派遣 to 整改中): the ones a 督办 on the wall chases. */
export const HELD_STATES: readonly CaseState[] = ['dispatched', 'accepted', 'in_progress', 'rectifying'];

/** A unit holds the work (an assignee, in HELD_STATES): what a 督办 on the wall can chase. */
export const isHeld = (c: { status: string; assignee: unknown }): boolean =>
  !!c.assignee && (HELD_STATES as readonly string[]).includes(c.status);

export const CASE_ACTIONS = [
  'dispatch',
  'reject',
  'merge',
  'acknowledge',
  'return',
  'start',
  'arrive',
  'order_rectification',
  'report_rectified',
  'resolve',
  'verify_pass',
  'verify_fail',
  'escalate',
  'reassign',
  'request_extension',
  'approve_extension',
  'deny_extension',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/**
 * Who acts: the command centre (指挥中心), or the party the case is assigned to (承办单位: a township
 * platform or a county department, acting for its team).
 */
export type ActorKind = 'command' | 'assignee';

export const ACTOR_ROLES: Record<ActorKind, readonly Role[]> = {
  command: ['admin', 'commander'],
  // admin may stand in for any assignee; township/department only for cases assigned to them.
  assignee: ['admin', 'township', 'department'],
};

export interface Transition {
  action: CaseAction;
  from: readonly CaseState[];
  /** `null`: the state does not change (an event only). */
  to: CaseState | null;
  actor: ActorKind;
  label: string;
}

export const TRANSITIONS: readonly Transition[] = [
  {
    action: 'dispatch',
    from: ['reported', 'returned'],
    to: 'dispatched',
    actor: 'command',
    label: '立案派遣',
  },
  { action: 'reject', from: ['reported', 'returned'], to: 'rejected', actor: 'command', label: '不予立案' },
  { action: 'merge', from: ['reported'], to: 'rejected', actor: 'command', label: '合并重复案件' },
  { action: 'acknowledge', from: ['dispatched'], to: 'accepted', actor: 'assignee', label: '签收' },
  { action: 'return', from: ['dispatched'], to: 'returned', actor: 'assignee', label: '退回' },
  {
    action: 'reassign',
    from: ['dispatched', 'accepted', 'returned'],
    to: 'dispatched',
    actor: 'command',
    label: '改派',
  },
  { action: 'start', from: ['accepted'], to: 'in_progress', actor: 'assignee', label: '派出队伍' },
  { action: 'arrive', from: ['in_progress'], to: null, actor: 'assignee', label: '到场' },
  {
    action: 'order_rectification',
    from: ['in_progress'],
    to: 'rectifying',
    actor: 'assignee',
    label: '责令整改',
  },
  {
    action: 'report_rectified',
    from: ['rectifying'],
    to: 'in_progress',
    actor: 'assignee',
    label: '整改完成',
  },
  { action: 'resolve', from: ['in_progress'], to: 'resolved', actor: 'assignee', label: '办结' },
  { action: 'verify_pass', from: ['resolved'], to: 'closed', actor: 'command', label: '核查通过' },
  {
    action: 'verify_fail',
    from: ['resolved'],
    to: 'in_progress',
    actor: 'command',
    label: '核查不通过（返工）',
  },
  { action: 'escalate', from: OPEN_STATES, to: null, actor: 'command', label: '督办' },
  // 延期申请: from 签收 to 办结, while the 办结 deadline has not passed, the assignee may ask for more
  // days; the command centre grants (the 办结 deadline moves) or refuses them. Events only.
  {
    action: 'request_extension',
    from: EXTENSION_STATES,
    to: null,
    actor: 'assignee',
    label: '申请延期',
  },
  { action: 'approve_extension', from: EXTENSION_STATES, to: null, actor: 'command', label: '同意延期' },
  { action: 'deny_extension', from: EXTENSION_STATES, to: null, actor: 'command', label: '不同意延期' },
];

const BY_ACTION = new Map<CaseAction, Transition>(TRANSITIONS.map((t) => [t.action, t]));

export function transitionOf(action: CaseAction): Transition {
  return BY_ACTION.get(action)!;
}

/** The state after `action` from `state`, or undefined when the state does not allow it. */
export function nextState(state: CaseState, action: CaseAction): CaseState | undefined {
  const t = BY_ACTION.get(action);
  if (!t || !t.from.includes(state)) return undefined;
  return t.to ?? state;
}

/** Whether `role` may ever perform `action` (before looking at the case's assignee). */
export function roleMay(role: Role, action: CaseAction): boolean {
  return ACTOR_ROLES[transitionOf(action).actor].includes(role);
}

/**
 * The actions a user may take on a case now: legal in its state, allowed for the role, and for
 * township/department users only when the case is assigned to them.
 */
export function availableActions(state: CaseState, role: Role, isAssignee: boolean): CaseAction[] {
  return TRANSITIONS.filter((t) => {
    if (!t.from.includes(state) || !ACTOR_ROLES[t.actor].includes(role)) return false;
    if (t.actor === 'assignee' && role !== 'admin') return isAssignee;
    return true;
  }).map((t) => t.action);
}

export const STATE_LABELS: Record<CaseState, string> = {
  reported: '上报',
  dispatched: '已派遣',
  accepted: '已签收',
  in_progress: '处置中',
  rectifying: '整改中',
  resolved: '已办结',
  closed: '已结案',
  returned: '已退回',
  rejected: '不予立案',
};
