// Who a team's card names first, and whom the command centre calls: the leaders (队长, 大队长 …) before
// their deputies (副队长 …) and the instructors (指导员, 教导员), then everyone else, each rank in the
// team's number order.
import { MEMBER_SOURCES, type TeamMember } from '@shared/teams';

/** 0 a leader, 1 a deputy or instructor, 2 anyone else. */
export function leadRank(role: string): number {
  if (/副.*长$/.test(role)) return 1;
  if (/长$/.test(role)) return 0;
  return /[指教]导员$/.test(role) ? 1 : 2;
}

/** The members, leaders first (a stable sort: number order within a rank). */
export function leadFirst(members: readonly TeamMember[]): TeamMember[] {
  return members
    .map((m, i) => ({ m, i, rank: leadRank(m.role) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.m);
}

/** Whom to call: the first `n` members with a phone, leaders first. */
export function contacts(members: readonly TeamMember[], n = 2): TeamMember[] {
  return leadFirst(members)
    .filter((m) => m.phone)
    .slice(0, n);
}

/** A phone as read across a room: 139 1234 5678; a landline as stored (0350-2345678). */
export function spacedPhone(phone: string): string {
  return /^1\d{10}$/.test(phone) ? `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` : phone;
}

/**
 * The "7+9+N" shape: how many of the team's own (本级), posted by departments (派驻) and helpers
 * (协管), in that order, the kinds it has none of left out.
 */
export function composition(
  members: readonly TeamMember[],
): Array<{ source: TeamMember['source']; n: number }> {
  return MEMBER_SOURCES.map((source) => ({
    source,
    n: members.filter((m) => m.source === source).length,
  })).filter((x) => x.n > 0);
}
