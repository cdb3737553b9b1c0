// Who is at a screen now: `GET /api/presence` (the command centre, leaders and admins). The live
// demo simulator reads it to leave a unit's tasks to the person working that unit's desk.

/** One township or department with at least one person's dashboard connected. */
export interface PresenceUnit {
  kind: 'township' | 'department';
  code: string;
  /** Connections of people (not of the simulator's accounts) to this unit's desk. */
  connections: number;
}

export interface PresenceSnapshot {
  /** Units with a person's desk open (live Socket.IO connection scoped to the unit), by kind then code. */
  units: PresenceUnit[];
  /** Connections of people signed in as a command-centre operator (role commander) to the big screen. */
  commanders: number;
  /** When this was read (epoch ms). */
  at: number;
  /** Some server process did not answer in time: what it holds is missing (Redis scale-out only). */
  partial: boolean;
}
