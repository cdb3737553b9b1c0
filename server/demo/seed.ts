// Demo mode (DEMO=on): the accounts and teams a person trying the product signs in with and sees.
// Idempotent: existing accounts and teams are left alone. The accounts it creates are put on record
// first (demo/accounts-check.ts), which is how a later start tells them from real ones.
import crypto from 'node:crypto';
import type { UnitRef } from '../../shared/geo';
import type { AppContext } from '../context';
import { demoAccounts } from '../auth/demo-accounts';
import { hashPassword } from '../auth/passwords';
import { recordDemoAccounts } from './accounts-check';
import { demoTeams, ensureDemoTeams } from '../teams/demo-teams';

export async function seedDemo(
  ctx: AppContext,
  townships: UnitRef[],
): Promise<{ accounts: number; teams: number }> {
  const password = ctx.config.DEMO_PASSWORD;
  const all = demoAccounts(townships, ctx.departments, password);
  const existing = new Set(
    (await ctx.store.db.selectFrom('users').select('username').execute()).map((r) => r.username),
  );
  const pending = all.filter((a) => !existing.has(a.username)).map((a) => ({ a, id: crypto.randomUUID() }));
  await recordDemoAccounts(
    ctx.store,
    townships,
    ctx.departments,
    pending.map(({ a, id }) => ({ id, username: a.username })),
  );
  // One scrypt for them all: every demo account has the demo's password (it is on the login page),
  // so a hash apiece (60 in Gaoping, ~40 ms each) would only slow each demo start, not protect more.
  const hash = pending.length ? await hashPassword(password) : '';
  let accounts = 0;
  for (const { a, id } of pending) if (await ctx.users.ensure(a, id, hash)) accounts++;
  const teams = await ensureDemoTeams(ctx.teams, demoTeams(townships, ctx.departments, password));
  if (accounts || teams) ctx.logger.info({ accounts, teams }, 'demo accounts and teams created');
  return { accounts, teams };
}
