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

export interface TeamsTable {
  id: string;
  name: string;
  kind: string;
  owner_code: string;
  owner_name: string;
  created_at: number;
}

export interface TeamMembersTable {
  id: string;
  team_id: string;
  name: string;
  role: string;
  source: string;
  department_code: string | null;
}

export interface DevicesTable {
  device_id: string;
  team_id: string;
  token_hash: string;
  label: string;
  created_at: number;
}

export interface PositionsTable {
  device_id: string;
  at: number;
  team_id: string;
  lng: number;
  lat: number;
  speed: number | null;
  bearing: number | null;
  altitude: number | null;
  accuracy: number | null;
  battery: number | null;
}

export interface Database {
  meta: MetaTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  devices: DevicesTable;
  positions: PositionsTable;
}

export type { Generated };
