// One deployment's name on a Redis it may share: several counties' servers, or a staging copy beside
// production, or test runs, on one Redis heard each other's Socket.IO packets and team positions
// (pub/sub channels are not kept apart by Redis's database index). The processes of one deployment
// share its database, so the name is kept there: made by whichever process starts first, read by
// the others (two at once: one insert wins, both read it).
import crypto from 'node:crypto';
import type { Store } from '../store/db';

const KEY = 'deployment_id';

/** This deployment's id: 16 hex digits, the same for every process on the database. */
export async function deploymentId(store: Store): Promise<string> {
  await store.db
    .insertInto('meta')
    .values({ key: KEY, value: crypto.randomBytes(8).toString('hex') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await store.db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', KEY)
    .executeTakeFirstOrThrow();
  return row.value;
}

/**
 * The Redis names of deployment `id`: its Socket.IO stream, the prefix of the adapter's own pub/sub
 * channels (its requests between processes: fetchSockets, the count of processes) and of its saved
 * sessions, and its two pub/sub channels.
 */
export function redisNames(id: string): {
  stream: string;
  adapterChannels: string;
  sessions: string;
  positions: string;
  tasks: string;
} {
  return {
    stream: `gaoping:${id}:socket.io`,
    adapterChannels: `gaoping:${id}:socket.io`,
    sessions: `gaoping:${id}:sio:session:`,
    positions: `gaoping:${id}:positions`,
    tasks: `gaoping:${id}:team-tasks`,
  };
}
