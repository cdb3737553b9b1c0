// User accounts: creation (CLI, demo seeding, tests) and credential checks.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { ROLES, scopeSchema, type Role, type Scope, type SessionUser } from '../../shared/auth';
import type { Store } from '../store/db';
import type { UsersTable } from '../store/schema';
import { hashPassword, verifyPassword } from './passwords';

export const newUserSchema = z
  .object({
    username: z
      .string()
      .min(2)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    password: z.string().min(4).max(256),
    displayName: z.string().min(1).max(64),
    role: z.enum(ROLES),
    scope: scopeSchema,
  })
  .refine(
    (u) =>
      (u.role === 'township' && u.scope.kind === 'township') ||
      (u.role === 'department' && u.scope.kind === 'department') ||
      (['admin', 'commander', 'leader'].includes(u.role) && u.scope.kind === 'county'),
    {
      message:
        'scope must match the role (township → township code, department → department code, others → county)',
      path: ['scope'],
    },
  );
export type NewUser = z.infer<typeof newUserSchema>;

export function toSessionUser(row: UsersTable): SessionUser {
  const scope: Scope =
    row.scope_kind === 'township'
      ? { kind: 'township', code: row.scope_code ?? '' }
      : row.scope_kind === 'department'
        ? { kind: 'department', code: row.scope_code ?? '' }
        : { kind: 'county' };
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role as Role, scope };
}

/** A signed-in account: the user and the session generation its tokens carry. */
export interface Account {
  user: SessionUser;
  sessionGen: number;
}

/** What decides whether an account's sessions still hold. */
export interface AccountState {
  sessionGen: number;
  disabled: boolean;
}

function toAccount(row: UsersTable): Account {
  return { user: toSessionUser(row), sessionGen: Number(row.session_gen) };
}

export class UserService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async create(input: NewUser): Promise<SessionUser> {
    const u = newUserSchema.parse(input);
    const row: UsersTable = {
      id: crypto.randomUUID(),
      username: u.username,
      display_name: u.displayName,
      password_hash: await hashPassword(u.password),
      role: u.role,
      scope_kind: u.scope.kind,
      scope_code: u.scope.kind === 'county' ? null : u.scope.code,
      disabled: 0,
      created_at: this.now(),
      session_gen: 0,
    };
    await this.store.db.insertInto('users').values(row).execute();
    return toSessionUser(row);
  }

  /** Create the account unless the username exists; returns whether it was created. */
  async ensure(input: NewUser): Promise<boolean> {
    const existing = await this.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', input.username)
      .executeTakeFirst();
    if (existing) return false;
    await this.create(input);
    return true;
  }

  async findByUsername(username: string): Promise<UsersTable | undefined> {
    return this.store.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  /** The user if the credentials are right and the account is enabled, else null. */
  async authenticate(username: string, password: string): Promise<SessionUser | null> {
    return (await this.signIn(username, password))?.user ?? null;
  }

  /** As authenticate, with the account's session generation for the token. */
  async signIn(username: string, password: string): Promise<Account | null> {
    const row = await this.findByUsername(username);
    // Hash anyway when the user does not exist, so timing does not reveal which usernames exist.
    if (!row) {
      await verifyPassword(password, DUMMY_HASH);
      return null;
    }
    if (row.disabled) return null;
    return (await verifyPassword(password, row.password_hash)) ? toAccount(row) : null;
  }

  /** The account as it is now, or null when it is gone or disabled (for renewing a session). */
  async current(id: string): Promise<SessionUser | null> {
    return (await this.account(id))?.user ?? null;
  }

  /** As current, with the account's session generation. */
  async account(id: string): Promise<Account | null> {
    const row = await this.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && !row.disabled ? toAccount(row) : null;
  }

  /**
   * A new password; every session of the account ends (its generation moves on, so the tokens
   * issued before are refused: server/auth/session-check.ts).
   */
  async setPassword(username: string, password: string): Promise<boolean> {
    const r = await this.store.db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password), session_gen: sql<number>`session_gen + 1` })
      .where('username', '=', username)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Disable or enable the account; false when there is no such user. Either ends every session
   * (enabling does not bring back the sessions disabling ended: the user signs in again; and the
   * generation only ever grows, which SessionCheck relies on). Accounts are never deleted: their
   * names stay in case timelines and the audit.
   */
  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    const r = await this.store.db
      .updateTable('users')
      .set({ disabled: disabled ? 1 : 0, session_gen: sql<number>`session_gen + 1` })
      .where('username', '=', username)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Session generation and state of the given accounts (absent: no such account), in one query. */
  async sessionStates(ids: readonly string[]): Promise<Map<string, AccountState>> {
    const states = new Map<string, AccountState>();
    // In chunks well below either engine's limit on bound parameters.
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await this.store.db
        .selectFrom('users')
        .select(['id', 'session_gen', 'disabled'])
        .where('id', 'in', ids.slice(i, i + 1000))
        .execute();
      for (const r of rows) states.set(r.id, { sessionGen: Number(r.session_gen), disabled: !!r.disabled });
    }
    return states;
  }

  /** Every account with whether it is disabled, by username (for the users command). */
  async accounts(): Promise<Array<SessionUser & { disabled: boolean }>> {
    const rows = await this.store.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map((r) => ({ ...toSessionUser(r), disabled: !!r.disabled }));
  }

  async list(): Promise<SessionUser[]> {
    const rows = await this.store.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toSessionUser);
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
