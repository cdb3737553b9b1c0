// Who a user is and what part of the county they may see: the roles and scopes both sides check.
import { z } from 'zod';
import { USERNAME_MAX } from './limits';

export const ROLES = ['admin', 'commander', 'leader', 'township', 'department'] as const;
export type Role = (typeof ROLES)[number];

export const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('county') }),
  z.object({ kind: z.literal('township'), code: z.string().regex(/^\d{9}$/) }),
  z.object({ kind: z.literal('department'), code: z.string().min(1).max(32) }),
]);
export type Scope = z.infer<typeof scopeSchema>;

export const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  scope: scopeSchema,
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

// Strict, as every other body is: a field the server does not read is refused (400 naming it,
// `body.x`) rather than ignored, so a client that means something by it learns it is not heard.
export const loginRequestSchema = z.strictObject({
  username: z.string().trim().min(1, 'required').max(USERNAME_MAX),
  password: z.string().min(1, 'required').max(256),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** POST /api/auth/refresh: no body or `{}`; the token says whose session it is, so any field is refused. */
export const refreshRequestSchema = z.strictObject({});

export interface LoginResponse {
  token: string;
  user: SessionUser;
}

/** Roles that see the whole county. */
export const COUNTY_ROLES: readonly Role[] = ['admin', 'commander', 'leader'];
/** Roles that act for the command centre (dispatch, verify, escalate). */
export const COMMAND_ROLES: readonly Role[] = ['admin', 'commander'];
