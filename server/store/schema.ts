// Table types for the query layer. Each domain adds its tables here, next to its migration.
// Timestamps are epoch milliseconds (INTEGER in SQLite, BIGINT in PostgreSQL, read back as numbers),
// JSON documents are TEXT: both engines sort, compare and index them the same way.
import type { Generated } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  scope_kind: string;
  scope_code: string | null;
  disabled: number;
  created_at: number;
}

export interface Database {
  meta: MetaTable;
  users: UsersTable;
}

export type { Generated };
