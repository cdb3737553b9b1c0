// User accounts: creation (CLI, demo seeding, tests) and credential checks.
import crypto from 'node:crypto';
import { sql, type ExpressionBuilder, type UpdateObject } from 'kysely';
import { z } from 'zod';
import { ROLES, scopeSchema, type Role, type Scope, type SessionUser } from '../../shared/auth';
import type { Store } from '../store/db';
import type { Database, UsersTable } from '../store/schema';
import { hashPassword, verifyPassword } from './passwords';
import { USERNAME_MAX } from '../../shared/limits';

const accountFields = z.object({
  username: z
    .string()
    .min(2)
    .max(USERNAME_MAX)
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  displayName: z.string().min(1).max(64),
  role: z.enum(ROLES),
  scope: scopeSchema,
});
const scopeMatchesRole = (u: { role: Role; scope: Scope }) =>
  (u.role === 'township' && u.scope.kind === 'township') ||
  (u.role === 'department' && u.scope.kind === 'department') ||
  (['admin', 'commander', 'leader'].includes(u.role) && u.scope.kind === 'county');
const scopeMismatch = {
  message:
    'scope must match the role (township → township code, department → department code, others → county)',
  path: ['scope'],
};

export const newUserSchema = accountFields
  .extend({ password: z.string().min(4).max(256) })
  .refine(scopeMatchesRole, scopeMismatch);
/** An account as `update` leaves it (its password untouched). */
const accountSchema = accountFields.refine(scopeMatchesRole, scopeMismatch);
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

  /**
   * `id`: chosen beforehand when it must be on record first (the demo's accounts: demo/seed.ts).
   * `passwordHash`: `hashPassword(input.password)` made once for many accounts that share a password
   * (the demo's 60, all `DEMO_PASSWORD`): one scrypt instead of one each.
   */
  async create(
    input: NewUser,
    id: string = crypto.randomUUID(),
    passwordHash?: string,
  ): Promise<SessionUser> {
    const u = newUserSchema.parse(input);
    const row: UsersTable = {
      id,
      username: u.username,
      display_name: u.displayName,
      password_hash: passwordHash ?? (await hashPassword(u.password)),
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
  async ensure(input: NewUser, id?: string, passwordHash?: string): Promise<boolean> {
    const existing = await this.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', input.username)
      .executeTakeFirst();
    if (existing) return false;
    await this.create(input, id, passwordHash);
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
   * names stay in case timelines and the audit. Disabling the last enabled admin throws
   * LastAdminError and changes nothing.
   */
  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    const updated = await this.updateKeepingAnAdmin(
      username,
      { disabled: disabled ? 1 : 0, session_gen: sql<number>`session_gen + 1` },
      disabled,
    );
    return updated || this.refused(username);
  }

  /**
   * A new role, scope or display name (those given); the account as it was and as it is, or null
   * when there is no such user. A new role or scope ends every session (their tokens carry the
   * rights they were issued with); a new display name alone does not (a session shows it from its
   * next renewal). Changing the last enabled admin away from admin throws LastAdminError and
   * changes nothing.
   */
  async update(
    username: string,
    change: { role?: Role; scope?: Scope; displayName?: string },
  ): Promise<{ before: SessionUser; after: SessionUser } | null> {
    const row = await this.findByUsername(username);
    if (!row) return null;
    const before = toSessionUser(row);
    const next = accountSchema.parse({
      username: before.username,
      displayName: change.displayName ?? before.displayName,
      role: change.role ?? before.role,
      scope: change.scope ?? before.scope,
    });
    const rights =
      next.role !== before.role ||
      next.scope.kind !== before.scope.kind ||
      scopeCode(next.scope) !== scopeCode(before.scope);
    const updated = await this.updateKeepingAnAdmin(
      username,
      {
        role: next.role,
        scope_kind: next.scope.kind,
        scope_code: scopeCode(next.scope),
        display_name: next.displayName,
        ...(rights ? { session_gen: sql<number>`session_gen + 1` } : {}),
      },
      next.role !== 'admin',
    );
    if (!updated && !(await this.refused(username))) return null;
    return {
      before,
      after: { ...before, role: next.role, scope: next.scope, displayName: next.displayName },
    };
  }

  /**
   * Updates the account; when the update takes its admin rights away (`guard`), only if it is not
   * an enabled admin or another enabled admin remains. Whether a row was updated. On PostgreSQL the
   * enabled admins are locked first, so two such commands at once on the last two admins cannot both
   * see the other one still there (SQLite's transactions take the write lock at their start).
   */
  private async updateKeepingAnAdmin(
    username: string,
    set: UpdateObject<Database, 'users'>,
    guard: boolean,
  ): Promise<boolean> {
    return this.store.db.transaction().execute(async (trx) => {
      if (guard && this.store.engine === 'postgres')
        await trx
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'admin')
          .where('disabled', '=', 0)
          .forUpdate()
          .execute();
      const r = await trx
        .updateTable('users')
        .set(set)
        .where('username', '=', username)
        .$if(guard, (q) => q.where((eb) => keepsAnAdmin(eb, username)))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    });
  }

  /** After an update that changed no row: false when there is no such user, else LastAdminError. */
  private async refused(username: string): Promise<false> {
    if (await this.findByUsername(username)) throw new LastAdminError(username);
    return false;
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

/**
 * What an update that takes the admin rights of `username` away (disabling it, or another role)
 * needs: it is not an enabled admin, or another enabled admin remains.
 */
function keepsAnAdmin(eb: ExpressionBuilder<Database, 'users'>, username: string) {
  return eb.or([
    eb('role', '<>', 'admin'),
    eb('disabled', '<>', 0),
    eb.exists(
      eb
        .selectFrom('users as other')
        .select('other.id')
        .where('other.role', '=', 'admin')
        .where('other.disabled', '=', 0)
        .where('other.username', '<>', username),
    ),
  ]);
}

function scopeCode(scope: Scope): string | null {
  return scope.kind === 'county' ? null : scope.code;
}

/** The account is the last enabled admin: disabling it, or another role, would leave none. */
export class LastAdminError extends Error {
  constructor(readonly username: string) {
    super(`${username} is the last enabled admin account`);
    this.name = 'LastAdminError';
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
