// Versioned migrations, applied in name order at start; Kysely records them in kysely_migration.
// What was applied is logged with the time it took, and the long ones (those that go through every
// case) report their progress through the same log, so a start that takes minutes says why.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index';
import { DataDirError } from './data-dir';

/** A database an upgrade has migrated further than this release knows: there is no downgrade. */
export class NewerDatabaseError extends DataDirError {}

/** Where migrations report what they are doing (the server's log at start). */
export type MigrationLog = (line: string) => void;

/** A migration of ours: Kysely's, with the log to report progress to. */
export interface LoggedMigration {
  up(db: Kysely<any>, log: MigrationLog): Promise<void>;
  down?(db: Kysely<any>): Promise<void>;
}

class InCodeProvider implements MigrationProvider {
  constructor(private readonly log: MigrationLog | undefined) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const log = this.log;
    return Object.fromEntries(
      Object.entries(migrations).map(([name, m]): [string, Migration] => [
        name,
        {
          up: (db) => m.up(db, log ?? (() => undefined)),
          ...(m.down ? { down: m.down } : {}),
        },
      ]),
    );
  }
}

export async function migrateToLatest(db: Kysely<any>, log?: MigrationLog): Promise<string[]> {
  return migrate(db, log, (m) => m.migrateToLatest());
}

/** Applies the migrations up to and including `name` (a database as an older release left it). */
export async function migrateTo(db: Kysely<any>, name: string, log?: MigrationLog): Promise<string[]> {
  return migrate(db, log, (m) => m.migrateTo(name));
}

async function migrate(
  db: Kysely<any>,
  log: MigrationLog | undefined,
  run: (m: Migrator) => ReturnType<Migrator['migrateToLatest']>,
): Promise<string[]> {
  const t0 = performance.now();
  await refuseNewer(db);
  const { error, results } = await run(new Migrator({ db, provider: new InCodeProvider(log) }));
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const which = failed ? `migration ${failed.migrationName}` : 'migrations';
    throw new Error(`${which} failed: ${(error as Error | undefined)?.message ?? 'unknown error'}`, {
      cause: error,
    });
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (applied.length)
    log?.(`migrations applied in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${applied.join(', ')}`);
  return applied;
}

/**
 * A database that a later release has migrated (it records migrations this code does not have) is
 * refused before anything runs, in a sentence: Kysely's own words for it, "corrupted migrations:
 * previously executed migration … is missing", read as a damaged database to whoever starts an
 * older release on a restored or upgraded DATA_DIR.
 */
async function refuseNewer(db: Kysely<any>): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === 'kysely_migration')) return;
  const rows = (await db.selectFrom('kysely_migration').select('name').execute()) as { name: string }[];
  const unknown = rows
    .map((r) => r.name)
    .filter((n) => !(n in migrations))
    .sort();
  if (unknown.length)
    throw new NewerDatabaseError(
      `this database was migrated by a newer release (${unknown.join(', ')}, which this one does not have) ` +
        `and was left as it is: there is no downgrade. Start the newer release on it, or restore the backup ` +
        `taken before the upgrade (README, Backup, restore and upgrade)`,
    );
}

/** "12,000 of 100,000 cases (12 %)": a long migration's progress line. */
export function progressLine(what: string, done: number, total: number): string {
  const pct = total ? Math.floor((done / total) * 100) : 100;
  return `${what}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} cases (${pct} %)`;
}
