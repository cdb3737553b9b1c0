// Whether a database is the demo's own: the demo (DEMO=on, the default) adds its accounts (60 in
// Gaoping, the simulator's own among them) with a known password, and must never do so in a
// database someone uses for real.
//
// The demo's accounts are on record: the `meta` row `demo_accounts` holds the id of each account
// the demo created (demo/seed.ts writes it before creating them), and every other account is real,
// whatever it looks like. An account keeps being the demo's when `npm run users -- set` changes its
// role, scope or display name, as when its password is changed: the demo made it, with the known
// password, and the database stays the demo's (DEMO=on still starts on it; DEMO=off still warns of
// it while it is enabled).
//
// A database from before the record has none: there, an account is the demo's by its look, its
// username, role, scope and display name all those demoAccounts() makes (`admin` / admin / county /
// 系统管理员 …), its password not compared. That judgement is put on record, as it stands, by the
// first write of accounts that keeps a record: a demo start, or `npm run users -- add` / `set`.
import { z } from 'zod';
import type { UnitRef } from '../../shared/geo';
import type { Department } from '../county/departments';
import type { Store } from '../store/db';
import { demoAccounts } from '../auth/demo-accounts';

/** The `meta` key of the record. */
export const DEMO_ACCOUNTS_KEY = 'demo_accounts';

/** The record's value: the demo's accounts, id → the username it was created with. */
const recordSchema = z.object({ accounts: z.record(z.string(), z.string()) });

export interface AccountsOnRecord {
  /** Accounts that are the demo's (whether enabled or not). */
  demo: string[];
  /** The demo's accounts that can still sign in. */
  demoEnabled: string[];
  /** Every other account: someone created it for real use. */
  real: string[];
  /** How the demo's were told: by the record, or by their look (a database from before it). */
  by: 'record' | 'look';
}

type Db = Store['db'];

interface AccountRow {
  id: string;
  username: string;
  role: string;
  scope_kind: string;
  scope_code: string | null;
  display_name: string;
  disabled: number;
}

const readAccounts = (db: Db): Promise<AccountRow[]> =>
  db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'scope_kind', 'scope_code', 'display_name', 'disabled'])
    .orderBy('username')
    .execute();

/** The record, id → username; null when there is none (or it cannot be read: then the look decides). */
async function readRecord(db: Db): Promise<Map<string, string> | null> {
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', DEMO_ACCOUNTS_KEY)
    .executeTakeFirst();
  if (!row) return null;
  let parsed;
  try {
    parsed = recordSchema.safeParse(JSON.parse(row.value));
  } catch {
    return null;
  }
  return parsed.success ? new Map(Object.entries(parsed.data.accounts)) : null;
}

/** Whether an account looks like one the demo makes (the rule for a database without a record). */
function lookRule(townships: UnitRef[], departments: Department[]): (r: AccountRow) => boolean {
  const expected = new Map(
    demoAccounts(townships, departments, '').map((a) => [
      a.username,
      [a.role, a.scope.kind, a.scope.kind === 'county' ? null : a.scope.code, a.displayName].join('\u0000'),
    ]),
  );
  return (r) =>
    expected.get(r.username) === [r.role, r.scope_kind, r.scope_code ?? null, r.display_name].join('\u0000');
}

export async function accountsOnRecord(
  store: Store,
  townships: UnitRef[],
  departments: Department[],
): Promise<AccountsOnRecord> {
  const record = await readRecord(store.db);
  const isDemo = record ? (r: AccountRow) => record.has(r.id) : lookRule(townships, departments);
  const found: AccountsOnRecord = { demo: [], demoEnabled: [], real: [], by: record ? 'record' : 'look' };
  for (const r of await readAccounts(store.db)) {
    if (isDemo(r)) {
      found.demo.push(r.username);
      if (!Number(r.disabled)) found.demoEnabled.push(r.username);
    } else found.real.push(r.username);
  }
  // The demo's own order (admin, commander, leader, the townships …): a message names the first few.
  const rank = new Map(demoAccounts(townships, departments, '').map((a, i) => [a.username, i]));
  const byRank = (a: string, b: string) =>
    (rank.get(a) ?? rank.size) - (rank.get(b) ?? rank.size) || a.localeCompare(b);
  found.demo.sort(byRank);
  found.demoEnabled.sort(byRank);
  return found;
}

/**
 * Puts `created` (accounts the demo is about to create, with the ids they will have) on the
 * record, before they are created: an account is never the demo's without being on it, even if the
 * start stops in between (an id on record whose account was never made names nothing). A database
 * without a record gets one first, of the accounts that look like the demo's (the rule before the
 * record), so what was the demo's stays so. `created` empty: only that (`npm run users -- add` and
 * `set` call it before they write, so an account they make or change is judged by the record).
 */
export async function recordDemoAccounts(
  store: Store,
  townships: UnitRef[],
  departments: Department[],
  created: ReadonlyArray<{ id: string; username: string }> = [],
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    let record = await readRecord(trx);
    const missing = !record;
    if (!record) {
      const looks = lookRule(townships, departments);
      record = new Map((await readAccounts(trx)).filter(looks).map((r) => [r.id, r.username]));
    }
    for (const a of created) record.set(a.id, a.username);
    if (!missing && !created.length) return;
    const value = JSON.stringify({ accounts: Object.fromEntries(record) });
    await trx
      .insertInto('meta')
      .values({ key: DEMO_ACCOUNTS_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  });
}

/** The names of a list, the first few of them: `a, b, c and 4 more`. */
export function someNames(names: string[], most = 5): string {
  if (names.length <= most) return names.join(', ');
  return `${names.slice(0, most).join(', ')} and ${names.length - most} more`;
}
