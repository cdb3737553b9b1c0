// Teams (执法队伍), their members and GPS devices, and the position fixes devices send.
import { z } from 'zod';

export const TEAM_KINDS = ['township', 'department'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];
/**
 * idle 待命 (standing, no task), patrol 巡查中 (moving, no task: free to send), en_route 前往现场
 * (sent to a case), on_site 现场处置 (arrived at it), offline 离线 (no fix for 5 minutes).
 */
export const TEAM_STATUSES = ['idle', 'patrol', 'en_route', 'on_site', 'offline'] as const;
export type TeamStatus = (typeof TEAM_STATUSES)[number];
/** A team with no fix for this long is offline. */
export const OFFLINE_AFTER_MS = 5 * 60 * 1000;
/** Fixes further in the future than this (device clock skew) are refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** Fixes per batch on POST /api/positions. */
export const MAX_FIXES_PER_BATCH = 500;

/** Where a member comes from in the "7+9+N" team: its own staff, posted by a department, helpers. */
export const MEMBER_SOURCES = ['own', 'posted', 'helper'] as const;

/** A member's id: the team's id, -m and a number, two digits at least (T140581002-m01). */
export const memberId = (teamId: string, n: number): string => `${teamId}-m${String(n).padStart(2, '0')}`;

export interface TeamMember {
  id: string;
  name: string;
  role: string;
  source: (typeof MEMBER_SOURCES)[number];
  departmentCode: string | null;
  /** 联系电话, as normalizePhone writes it; null when none is known. */
  phone: string | null;
}

/**
 * A phone number as stored: a mobile's 11 digits (13912345678; spaces, hyphens and +86 dropped), or a
 * landline as area code, hyphen, number and an optional -extension (0350-2345678, 010-62345678-801;
 * written without the hyphen too: 010 and 02x are the three-digit area codes, with eight-digit
 * numbers, the rest four, with seven or eight). Null when it is neither.
 */
export function normalizePhone(raw: string): string | null {
  // NFKC: the full-width digits, ＋ and （） a Chinese keyboard may type; － is the full-width hyphen.
  const s = raw
    .normalize('NFKC')
    .replace(/[－‐‑–—]/g, '-')
    .replace(/[\s()]/g, '');
  const mobile = /^(?:\+?86|0086)?(1[3-9]\d{9})$/.exec(s.replace(/-/g, ''));
  if (mobile) return mobile[1]!;
  // 010 and 02x (the largest cities) have eight-digit numbers; the four-digit area codes seven or eight.
  const land = /^(?:(010|02\d)-?([2-9]\d{7})|(0[3-9]\d{2})-?([2-9]\d{6,7}))(?:-(\d{1,6}))?$/.exec(s);
  if (!land) return null;
  const [area, number] = land[1] ? [land[1], land[2]!] : [land[3]!, land[4]!];
  return `${area}-${number}${land[5] ? `-${land[5]}` : ''}`;
}

export interface TeamPosition {
  lng: number;
  lat: number;
  at: number;
  speed: number | null;
  bearing: number | null;
}

/**
 * A team's current task (当前任务), derived from the case records (server/teams/tasks.ts has the
 * rule): the case the team was last sent to (派出队伍) that is still being worked. `en_route`
 * (前往现场) from the start until an arrival on that case is recorded, then `on_site` (现场处置)
 * until it is resolved.
 */
export const TEAM_TASK_STAGES = ['en_route', 'on_site'] as const;
export type TeamTaskStage = (typeof TEAM_TASK_STAGES)[number];

export interface TeamTask {
  caseId: string;
  /** 案件编号, `20261204-0012`. */
  caseNo: string;
  matterName: string;
  stage: TeamTaskStage;
  /** Epoch ms the stage began: the start (or the return to work) for en_route, the arrival for on_site. */
  since: number;
  /** Epoch ms of the start (派出队伍) that sent the team. */
  startedAt: number;
}

export interface Team {
  id: string;
  name: string;
  kind: TeamKind;
  owner: { kind: TeamKind; code: string; name: string };
  members: TeamMember[];
  deviceIds: string[];
  position: TeamPosition | null;
  status: TeamStatus;
  /** What it is doing now; null: 当前无任务. */
  task: TeamTask | null;
}

/**
 * A team retired (`npm run teams -- retire`): off the live map, the team lists and pickers, but its
 * name still stands in the case records and tracks that name it (GET /api/teams?retired=true).
 */
export interface RetiredTeam {
  id: string;
  name: string;
  kind: TeamKind;
  owner: { kind: TeamKind; code: string; name: string };
  /** Epoch ms. */
  retiredAt: number;
}

/**
 * `teams:changed` (socket): what `npm run teams` (or another process) changed since the last word,
 * each part scoped as the teams are (the county all of it, a township or department its own teams).
 */
export interface TeamsChange {
  /** Retired (`retire`): their markers go, and they leave the lists; their names stay in records. */
  retired: string[];
  /** Put back in service (`unretire`): GET /api/teams again has them. */
  restored: string[];
  /** New (`add`), in their full view (no fix yet: position null, status offline): into the lists. */
  added: Team[];
  /** In service, their name, members or phones changed (`rename`, `member add|set|remove`, `device add|remove`): full view. */
  updated: Team[];
  /** Deleted (`remove`, only a team that left no record): off the lists, nothing names them. */
  removed: string[];
}

export const noTeamsChange = (): TeamsChange => ({
  retired: [],
  restored: [],
  added: [],
  updated: [],
  removed: [],
});

/**
 * What a fix may carry, the same on every way in (POST /api/positions, both OsmAnd forms): speed in
 * m/s (150 is 540 km/h), bearing in degrees, altitude in metres, accuracy in metres, battery in %.
 */
export const FIX_LIMITS = {
  speedMax: 150,
  bearingMax: 360,
  altitudeMin: -500,
  altitudeMax: 9000,
  accuracyMax: 100_000,
  batteryMax: 100,
} as const;

/**
 * One fix as accepted at the boundary. `at` is whole epoch ms or ISO 8601 with an offset (a
 * fraction of a millisecond would be stored rounded: refused). A field not listed is refused (400
 * naming it, `body.fixes.0.foo`), never dropped unseen.
 */
export const fixSchema = z.strictObject({
  lng: z.number().finite().min(-180).max(180),
  lat: z.number().finite().min(-90).max(90),
  // Number.isInteger, not .int(): a whole number past the safe range (1e20) is a time past any date,
  // refused by itself as such (its fix alone, 422 when alone), not a malformed batch.
  at: z.union(
    [
      z.number().positive().refine(Number.isInteger, 'whole epoch milliseconds'),
      z.iso.datetime({ offset: true }),
    ],
    {
      error: (iss) =>
        iss.code === 'invalid_union' ? 'whole epoch milliseconds, or ISO 8601 with an offset' : undefined,
    },
  ),
  /** metres per second */
  speed: z.number().finite().min(0).max(FIX_LIMITS.speedMax).nullish(),
  /** degrees clockwise from north */
  bearing: z.number().finite().min(0).max(FIX_LIMITS.bearingMax).nullish(),
  altitude: z.number().finite().min(FIX_LIMITS.altitudeMin).max(FIX_LIMITS.altitudeMax).nullish(),
  accuracy: z.number().finite().min(0).max(FIX_LIMITS.accuracyMax).nullish(),
  battery: z.number().finite().min(0).max(FIX_LIMITS.batteryMax).nullish(),
});
export type FixInput = z.infer<typeof fixSchema>;

/** POST /api/positions: the device and its fixes, no other field. */
export const positionBatchSchema = z.strictObject({
  deviceId: z.string().min(1).max(64),
  fixes: z.array(fixSchema).min(1).max(MAX_FIXES_PER_BATCH),
});

/** A position update as broadcast to clients (coalesced: at most one per team per second). */
export interface TeamPositionUpdate {
  teamId: string;
  position: TeamPosition;
  status: TeamStatus;
}

/**
 * `team:tasks` (socket): teams whose current task changed (sent, arrived, finished), with the status
 * that follows from it.
 */
export interface TeamTaskUpdate {
  teamId: string;
  task: TeamTask | null;
  status: TeamStatus;
}

/** A stored phone as a `tel:` link dials it: digits only, an extension after a pause (`,`). */
export function telHref(phone: string): string {
  const [area, number, ext] = phone.split('-');
  return number === undefined ? `tel:${area}` : `tel:${area}${number}${ext ? `,${ext}` : ''}`;
}
