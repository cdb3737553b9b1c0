// Every migration, by name; names sort in the order they must run. Never edit one that has shipped:
// add a new one.
import type { LoggedMigration } from '../migrate';
import * as m001 from './001_meta';
import * as m002 from './002_users';
import * as m003 from './003_teams';
import * as m010 from './010_cases';
import * as m011 from './011_case_search';
import * as m012 from './012_case_search_index';
import * as m013 from './013_case_numbers';
import * as m014 from './014_case_escalated_at';
import * as m015 from './015_handovers';
import * as m016 from './016_users_session_gen';
import * as m017 from './017_teams_retired_at';
import * as m018 from './018_case_status_since';
import * as m019 from './019_case_events_type';
import * as m020 from './020_case_extension';
import * as m021 from './021_team_members_phone';
import * as m022 from './022_cases_status_since_index';

export const migrations: Record<string, LoggedMigration> = {
  '001_meta': m001,
  '002_users': m002,
  '003_teams': m003,
  '010_cases': m010,
  '011_case_search': m011,
  '012_case_search_index': m012,
  '013_case_numbers': m013,
  '014_case_escalated_at': m014,
  '015_handovers': m015,
  '016_users_session_gen': m016,
  '017_teams_retired_at': m017,
  '018_case_status_since': m018,
  '019_case_events_type': m019,
  '020_case_extension': m020,
  '021_team_members_phone': m021,
  '022_cases_status_since_index': m022,
};
