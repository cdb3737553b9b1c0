// Teams (执法队伍), their members and GPS devices, and the position fixes devices send.
import { z } from 'zod';

export const TEAM_KINDS = ['township', 'department'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];
export const TEAM_STATUSES = ['idle', 'en_route', 'on_site', 'offline'] as const;
export type TeamStatus = (typeof TEAM_STATUSES)[number];
/** A team with no fix for this long is offline. */
export const OFFLINE_AFTER_MS = 5 * 60 * 1000;
/** Fixes further in the future than this (device clock skew) are refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** Fixes per batch on POST /api/positions. */
export const MAX_FIXES_PER_BATCH = 500;

/** Where a member comes from in the "7+9+N" team: its own staff, posted by a department, helpers. */
export const MEMBER_SOURCES = ['own', 'posted', 'helper'] as const;

export interface TeamMember {
  id: string;
  name: string;
  role: string;
  source: (typeof MEMBER_SOURCES)[number];
  departmentCode: string | null;
}

export interface TeamPosition {
  lng: number;
  lat: number;
  at: number;
  speed: number | null;
  bearing: number | null;
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
 * `teams:changed` (socket): teams retired since the last word (their markers go, and they leave the
 * lists), and teams put back in service (GET /api/teams again has them).
 */
export interface TeamsChange {
  retired: string[];
  restored: string[];
}

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

/** One fix as accepted at the boundary. `at` is epoch ms or ISO 8601 with an offset. */
export const fixSchema = z.object({
  lng: z.number().finite().min(-180).max(180),
  lat: z.number().finite().min(-90).max(90),
  at: z.union([z.number().finite().positive(), z.iso.datetime({ offset: true })]),
  /** metres per second */
  speed: z.number().finite().min(0).max(FIX_LIMITS.speedMax).nullish(),
  /** degrees clockwise from north */
  bearing: z.number().finite().min(0).max(FIX_LIMITS.bearingMax).nullish(),
  altitude: z.number().finite().min(FIX_LIMITS.altitudeMin).max(FIX_LIMITS.altitudeMax).nullish(),
  accuracy: z.number().finite().min(0).max(FIX_LIMITS.accuracyMax).nullish(),
  battery: z.number().finite().min(0).max(FIX_LIMITS.batteryMax).nullish(),
});
export type FixInput = z.infer<typeof fixSchema>;

export const positionBatchSchema = z.object({
  deviceId: z.string().min(1).max(64),
  fixes: z.array(fixSchema).min(1).max(MAX_FIXES_PER_BATCH),
});

/** A position update as broadcast to clients (coalesced: at most one per team per second). */
export interface TeamPositionUpdate {
  teamId: string;
  position: TeamPosition;
  status: TeamStatus;
}
