// The actions a desk offers on a case and the form each needs. Which actions are legal comes from
// the shared lifecycle table (shared/workflow.ts), never from here: this file only knows the order
// the desk shows them in and what each one asks the user to fill in.
import { availableActions, type CaseState } from '../../../../shared/workflow';
import type { Role } from '../../../../shared/auth';
import {
  EXTENSION_MAX_DAYS,
  extendedDue,
  finishDueAfterRectification,
  isRunning,
  type CaseView,
  type DeadlineView,
} from '../../../../shared/cases';

/** The assignee's actions, in the order a clerk meets them. */
export const DESK_ACTIONS = [
  'acknowledge',
  'return',
  'start',
  'arrive',
  'order_rectification',
  'report_rectified',
  'resolve',
  'request_extension',
] as const;
export type DeskAction = (typeof DESK_ACTIONS)[number];

export interface OfferContext {
  state: CaseState;
  role: Role;
  /** The case is assigned to the user's township or department. */
  isAssignee: boolean;
  /** Arrival is recorded once (DESIGN.md §4): not offered again once the team has arrived. */
  arrived: boolean;
  /** More days may be asked for now (mayAskExtension); 申请延期 is not offered otherwise. */
  mayExtend?: boolean;
}

/** The assignee actions the lifecycle table allows this user now, in desk order. */
export function offeredActions(ctx: OfferContext): DeskAction[] {
  const legal = new Set<string>(availableActions(ctx.state, ctx.role, ctx.isAssignee));
  return DESK_ACTIONS.filter(
    (a) => legal.has(a) && !(a === 'arrive' && ctx.arrived) && !(a === 'request_extension' && !ctx.mayExtend),
  );
}

/**
 * Whether 申请延期 may be sent now, as the server takes it: the 办结 clock runs, has not passed,
 * and no request already waits for the command centre.
 */
export function mayAskExtension(
  c: Pick<CaseView, 'extensionRequest' | 'deadlineState'>,
  now: number,
): boolean {
  const f = c.deadlineState?.finish;
  return !c.extensionRequest && isRunning(f) && f.dueAt > now;
}

/** Whether the case is with the user's own party (township or department). */
export function isAssigneeOf(
  scope: { kind: string; code?: string },
  assignee: { kind: string; code: string } | null | undefined,
): boolean {
  return !!assignee && scope.kind === assignee.kind && scope.code === assignee.code;
}

/** What the action forms collect; each action reads its own fields. */
export interface ActionForm {
  reason: string;
  teamId: string;
  /** The members sent out (names recorded in the note; their count is the turnout, 出动人次). */
  memberIds: string[];
  /** Names for the member ids, to write into the event. */
  memberNames: string[];
  /** datetime-local value 'YYYY-MM-DDTHH:MM' in Asia/Shanghai */
  deadline: string;
  note: string;
  result: string;
  photoIds: string[];
  /** Days of a 延期申请, as typed (a number input's v-model gives a number once typed in). */
  days: string | number;
}

export const emptyForm = (): ActionForm => ({
  reason: '',
  teamId: '',
  memberIds: [],
  memberNames: [],
  deadline: '',
  note: '',
  result: '',
  photoIds: [],
  days: '3',
});

export interface FormLimits {
  maxText: number;
  maxPhotos: number;
  /** The unit has teams to choose from (without any, the turnout is recorded without a team). */
  hasTeams?: boolean;
}

export type FieldError = 'required' | 'tooLong' | 'notFuture' | 'invalid' | 'tooMany' | 'noMembers' | 'days';

/** The days typed for a 延期申请, when whole and 1 to EXTENSION_MAX_DAYS; else null. */
export function extensionDays(v: string | number): number | null {
  const t = String(v).trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= EXTENSION_MAX_DAYS ? n : null;
}

/** Where the 办结 deadline would be with the days typed, while it runs; else null. */
export function extensionPreview(finish: DeadlineView | undefined, days: string | number): number | null {
  const n = extensionDays(days);
  if (n === null || !isRunning(finish)) return null;
  return extendedDue(finish.dueAt, n);
}

/** The fields an action asks for, in display order. */
export const ACTION_FIELDS: Record<DeskAction, Array<keyof ActionForm>> = {
  acknowledge: [],
  return: ['reason'],
  start: ['teamId', 'memberIds', 'note'],
  arrive: [],
  order_rectification: ['deadline', 'note'],
  report_rectified: ['note', 'photoIds'],
  resolve: ['result', 'photoIds'],
  request_extension: ['days', 'reason'],
};

const OFFSET_MS = 8 * 3600_000;

/** 'YYYY-MM-DDTHH:MM' read as Asia/Shanghai wall time → epoch ms; null when malformed. */
export function parseShanghaiLocal(v: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isNaN(t) ? null : t - OFFSET_MS;
}

/** epoch ms → 'YYYY-MM-DDTHH:MM' in Asia/Shanghai (for the datetime-local input). */
export function toShanghaiLocal(t: number): string {
  return new Date(t + OFFSET_MS).toISOString().slice(0, 16);
}

/** Errors by field; empty when the form may be sent. */
export function validateAction(
  action: DeskAction,
  form: ActionForm,
  now: number,
  limits: FormLimits,
): Partial<Record<keyof ActionForm, FieldError>> {
  const errors: Partial<Record<keyof ActionForm, FieldError>> = {};
  const text = (field: 'reason' | 'note' | 'result', required: boolean) => {
    const v = form[field].trim();
    if (required && !v) errors[field] = 'required';
    else if (v.length > limits.maxText) errors[field] = 'tooLong';
  };
  switch (action) {
    case 'return':
      text('reason', true);
      break;
    case 'start':
      if (limits.hasTeams === false) break;
      if (!form.teamId) errors.teamId = 'required';
      if (!form.memberIds.length) errors.memberIds = 'noMembers';
      break;
    case 'order_rectification': {
      const t = parseShanghaiLocal(form.deadline);
      if (!form.deadline) errors.deadline = 'required';
      else if (t === null) errors.deadline = 'invalid';
      else if (t <= now) errors.deadline = 'notFuture';
      text('note', false);
      break;
    }
    case 'report_rectified':
      text('note', false);
      if (form.photoIds.length > limits.maxPhotos) errors.photoIds = 'tooMany';
      break;
    case 'request_extension':
      if (extensionDays(form.days) === null) errors.days = 'days';
      text('reason', true);
      break;
    case 'resolve':
      text('result', true);
      if (form.photoIds.length > limits.maxPhotos) errors.photoIds = 'tooMany';
      break;
    default:
      break;
  }
  return errors;
}

/**
 * What a rectification order (责令整改) due at the form's `deadline` will do to the case's finish
 * deadline (办结), as the server does it (finishDueAfterRectification): `moves` to `at`
 * (整改期间不计时), or not, being already past at `at`. Null when the case has no finish clock
 * running or the deadline is not a valid future time yet (the field's own message says so).
 */
export function finishDuePreview(
  finish: DeadlineView | undefined,
  deadline: string,
  now: number,
): { moves: boolean; at: number } | null {
  if (!finish || finish.metAt !== null) return null;
  if (finish.overdueAt !== null || finish.dueAt <= now) return { moves: false, at: finish.dueAt };
  const rectifyDue = parseShanghaiLocal(deadline);
  if (rectifyDue === null || rectifyDue <= now) return null;
  return { moves: true, at: finishDueAfterRectification(finish.dueAt, rectifyDue, now) };
}

/**
 * How a `start`'s note records who went: 出动队员：张伟、李娜；<the clerk's note>. The record is the
 * county's (Chinese, as everyone reads it: the screen, the exports); a page in another language
 * says the names in its own words (lib/desk/timeline.ts noteParts).
 */
export const MEMBERS_NOTE = { prefix: '出动队员：', between: '、', end: '；' } as const;

/**
 * The members ticked, as the team has them now: a team's members change while a form is open
 * (`npm run teams -- member …`, heard as `teams:changed`), so one taken off is unticked and one
 * renamed is sent under the name they have now. Null when nothing changes.
 */
export function followMembers(
  form: Pick<ActionForm, 'memberIds' | 'memberNames'>,
  members: ReadonlyArray<{ id: string; name: string }>,
): { memberIds: string[]; memberNames: string[] } | null {
  const nameOf = new Map(members.map((m) => [m.id, m.name]));
  const memberIds = form.memberIds.filter((id) => nameOf.has(id));
  const memberNames = memberIds.map((id) => nameOf.get(id)!);
  const same =
    memberIds.length === form.memberIds.length && memberNames.every((n, i) => n === form.memberNames[i]);
  return same ? null : { memberIds, memberNames };
}

/** The extra fields of POST /api/cases/:id/actions for the action (besides action and version). */
export function actionPayload(action: DeskAction, form: ActionForm): Record<string, unknown> {
  switch (action) {
    case 'return':
      return { reason: form.reason.trim() };
    case 'start': {
      // The action schema carries the team and the head count (出动人次); who went is written in
      // the note so the timeline says it.
      const note = [
        form.memberNames.length ? `${MEMBERS_NOTE.prefix}${form.memberNames.join(MEMBERS_NOTE.between)}` : '',
        form.note.trim(),
      ]
        .filter(Boolean)
        .join(MEMBERS_NOTE.end);
      return {
        ...(form.teamId ? { teamId: form.teamId } : {}),
        personnel: Math.max(1, form.memberIds.length),
        ...(note ? { note } : {}),
      };
    }
    case 'order_rectification': {
      const note = form.note.trim();
      return { deadline: parseShanghaiLocal(form.deadline), ...(note ? { note } : {}) };
    }
    case 'report_rectified': {
      const note = form.note.trim();
      return { ...(note ? { note } : {}), photos: [...form.photoIds] };
    }
    case 'resolve':
      return { result: form.result.trim(), evidence: [...form.photoIds] };
    case 'request_extension':
      return { days: extensionDays(form.days), reason: form.reason.trim() };
    default:
      return {};
  }
}
