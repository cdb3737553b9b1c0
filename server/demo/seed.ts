// Demo mode (DEMO=on): the accounts and teams a person trying the product signs in with and sees.
// Idempotent: existing accounts and teams are left alone.
import type { UnitRef } from '../../shared/geo';
import type { AppContext } from '../context';
import { demoAccounts, ensureDemoAccounts } from '../auth/demo-accounts';
import { demoTeams, ensureDemoTeams } from '../teams/demo-teams';

export async function seedDemo(
  ctx: AppContext,
  townships: UnitRef[],
): Promise<{ accounts: number; teams: number }> {
  const password = ctx.config.DEMO_PASSWORD;
  const accounts = await ensureDemoAccounts(ctx.users, demoAccounts(townships, ctx.departments, password));
  const teams = await ensureDemoTeams(ctx.teams, demoTeams(townships, ctx.departments, password));
  if (accounts || teams) ctx.logger.info({ accounts, teams }, 'demo accounts and teams created');
  return { accounts, teams };
}
