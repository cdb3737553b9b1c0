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
  /** Session generation: tokens issued under an older one are refused (016_users_session_gen). */
  session_gen: number;
}

export interface TeamsTable {
  id: string;
  name: string;
  kind: string;
  owner_code: string;
  owner_name: string;
  created_at: number;
  /** When it was retired (`npm run teams -- retire`); null while it serves (017_teams_retired_at). */
  retired_at: number | null;
}

export interface TeamMembersTable {
  id: string;
  team_id: string;
  name: string;
  role: string;
  source: string;
  department_code: string | null;
  /** 联系电话, normalised (shared/teams.ts normalizePhone); null when none is known (migration 021). */
  phone: string | null;
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

export interface CasesTable {
  id: string;
  /** 案件编号's day, `20261204` (Shanghai day of created_at); with no_seq, unique (migration 013). */
  no_day: string;
  /** 案件编号's number within its day, from 1, gap-free (server/cases/case-numbers.ts). */
  no_seq: number;
  client_id: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
  status: string;
  matter_code: string;
  domain: string;
  source: string;
  description: string;
  /** What GET /api/cases?q= searches (server/cases/search-text.ts), written at intake. */
  search_text: string;
  reporter: string | null;
  photos: string;
  lng: number;
  lat: number;
  township_code: string;
  location: string;
  route: string;
  assignee_kind: string | null;
  assignee_code: string | null;
  assignee_name: string | null;
  cooperating: string;
  duplicate_of: string | null;
  merged_into: string | null;
  result: string | null;
  escalations: number;
  /** When it was last escalated (督办); null if never (migration 014). */
  escalated_at: number | null;
  /**
   * When it entered its current state (migration 018); null for a case finished before 018 (open
   * ones were filled from their events).
   */
  status_since: number | null;
  /** The assignee's 延期申请 waiting for the command centre, JSON ExtensionAsked (migration 020). */
  extension_request: string | null;
  /** Extensions granted (同意延期), migration 020. */
  extensions: number;
  overdue: number;
  dispatched_at: number | null;
  first_dispatched_at: number | null;
  acknowledged_at: number | null;
  arrived_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  ack_ms: number | null;
  arrive_ms: number | null;
  closed_on_time: number | null;
  rectify_orders: number;
  rectified: number;
  reworks: number;
  returns: number;
  overdue_count: number;
  turnouts: number;
}

export interface CaseEventsTable {
  seq: number;
  case_id: string;
  type: string;
  actor: string;
  at: number;
  payload: string;
}

export interface EventSeqTable {
  id: number;
  value: number;
}

/** The last case number handed out on each day (`day` as in cases.no_day). */
export interface CaseNumbersTable {
  day: string;
  value: number;
}

export interface CasePartiesTable {
  case_id: string;
  /** `township:<code>` or `department:<code>`. */
  party: string;
}

export interface CaseDeadlinesTable {
  case_id: string;
  kind: string;
  due_at: number;
  met_at: number | null;
  overdue_at: number | null;
}

/** 交接班 (migration 015); `summary` is the ShiftSummary as JSON. */
export interface HandoversTable {
  id: string;
  at: number;
  by_id: string;
  by_name: string;
  summary: string;
  note: string;
  taken_at: number | null;
  taken_by_id: string | null;
  taken_by_name: string | null;
}

export interface Database {
  meta: MetaTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  devices: DevicesTable;
  positions: PositionsTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  event_seq: EventSeqTable;
  case_numbers: CaseNumbersTable;
  case_parties: CasePartiesTable;
  case_deadlines: CaseDeadlinesTable;
  handovers: HandoversTable;
}

export type { Generated };
