// Whether a database is the demo's own: the demo (DEMO=on, the default) adds 31 accounts with a
// known password, and must never do so in a database someone uses for real.
//
// A demo account is told from a real one by what the demo gives it: its username, role, scope and
// display name must all be those demoAccounts() makes (`admin` / admin / county / 系统管理员 …).
// The password is not compared: DEMO_PASSWORD may differ from one start to the next, and a demo
// account whose password was changed is still the demo's. An account someone added with
// `npm run users -- add` is real unless it copies all four; even one named `admin` is real, as the
// command gives it its username as display name unless `--name 系统管理员` says otherwise.
import type { UnitRef } from '../../shared/geo';
import type { Department } from '../county/departments';
import type { Store } from '../store/db';
import { demoAccounts } from '../auth/demo-accounts';

export interface AccountsOnRecord {
  /** Accounts that are the demo's (whether enabled or not). */
  demo: string[];
  /** The demo's accounts that can still sign in. */
  demoEnabled: string[];
  /** Every other account: someone created it for real use. */
  real: string[];
}

export async function accountsOnRecord(
  store: Store,
  townships: UnitRef[],
  departments: Department[],
): Promise<AccountsOnRecord> {
  const demo = demoAccounts(townships, departments, '');
  const expected = new Map(
    demo.map((a) => [
      a.username,
      [a.role, a.scope.kind, a.scope.kind === 'county' ? null : a.scope.code, a.displayName].join('\u0000'),
    ]),
  );
  const rows = await store.db
    .selectFrom('users')
    .select(['username', 'role', 'scope_kind', 'scope_code', 'display_name', 'disabled'])
    .orderBy('username')
    .execute();
  const found: AccountsOnRecord = { demo: [], demoEnabled: [], real: [] };
  for (const r of rows) {
    const shape = [r.role, r.scope_kind, r.scope_code ?? null, r.display_name].join('\u0000');
    if (expected.get(r.username) === shape) {
      found.demo.push(r.username);
      if (!Number(r.disabled)) found.demoEnabled.push(r.username);
    } else found.real.push(r.username);
  }
  // The demo's own order (admin, commander, leader, the townships …): a message names the first few.
  const rank = new Map(demo.map((a, i) => [a.username, i]));
  const byRank = (a: string, b: string) => rank.get(a)! - rank.get(b)!;
  found.demo.sort(byRank);
  found.demoEnabled.sort(byRank);
  return found;
}

/** The names of a list, the first few of them: `a, b, c and 4 more`. */
export function someNames(names: string[], most = 5): string {
  if (names.length <= most) return names.join(', ');
  return `${names.slice(0, most).join(', ')} and ${names.length - most} more`;
}
