// Demo mode (DEMO=on): the accounts and teams a person trying the product signs in with and sees.
// Idempotent: existing accounts and teams are left alone. The accounts it creates are put on record
// first (demo/accounts-check.ts), which is how a later start tells them from real ones.
import crypto from 'node:crypto';
import type { UnitRef } from '../../shared/geo';
import type { AppContext } from '../context';
import { demoAccounts } from '../auth/demo-accounts';
import { recordDemoAccounts } from './accounts-check';
import { demoTeams, ensureDemoTeams } from '../teams/demo-teams';

export async function seedDemo(
  ctx: AppContext,
  townships: UnitRef[],
): Promise<{ accounts: number; teams: number }> {
  const password = ctx.config.DEMO_PASSWORD;
  // A few at a time: each new account hashes its password (scrypt, on the libuv pool), so the 60
  // accounts of Gaoping take a quarter of the time they would one by one.
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
  let accounts = 0;
  for (let i = 0; i < pending.length; i += 4) {
    const created = await Promise.all(pending.slice(i, i + 4).map(({ a, id }) => ctx.users.ensure(a, id)));
    accounts += created.filter(Boolean).length;
  }
  const teams = await ensureDemoTeams(ctx.teams, demoTeams(townships, ctx.departments, password));
  if (accounts || teams) ctx.logger.info({ accounts, teams }, 'demo accounts and teams created');
  return { accounts, teams };
}
