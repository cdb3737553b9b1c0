// Several processes behind a load balancer: Socket.IO packets travel through Redis Streams (the
// streams adapter keeps connection state recovery working across processes, which the plain
// pub/sub adapter cannot), and each fix's "latest position", and each case event that moves a team's
// task, is published so every process's in-memory picture of the teams stays the same.
import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { TeamPosition } from '../../shared/teams';
import type { TaskCase, TaskEvent } from '../teams/tasks';
import type { Logger } from '../logger';
import { redisNames } from './deployment';
import { within } from '../clock';

/** How long a stop waits for Redis to answer QUIT before dropping the connection. */
const QUIT_WAIT_MS = 1000;

export interface RedisBridge {
  adapter: ReturnType<typeof createAdapter>;
  publishFix(teamId: string, position: TeamPosition): void;
  onRemoteFix(listener: (teamId: string, position: TeamPosition) => void): void;
  publishTaskEvent(event: TaskEvent, c: TaskCase): void;
  onRemoteTaskEvent(listener: (event: TaskEvent, c: TaskCase) => void): void;
  /**
   * Told when the subscriber is back after a break: what was published meanwhile is lost (pub/sub
   * keeps nothing), so whatever it carries is read again from the database.
   */
  onResubscribed(listener: () => void): void;
  /** Resolves when both connections are up and a PING is answered (the health check times it). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connect to Redis for deployment `deployment` (`deploymentId`): its stream and channels are named
 * for it, so deployments sharing a Redis do not hear each other.
 */
export async function connectRedis(url: string, logger: Logger, deployment: string): Promise<RedisBridge> {
  const {
    stream,
    adapterChannels,
    sessions,
    positions: POSITIONS_CHANNEL,
    tasks: TASKS_CHANNEL,
  } = redisNames(deployment);
  const origin = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  for (const c of [client, sub])
    c.on('error', (err) => logger.warn({ err }, 'redis connection error; reconnecting'));
  try {
    await Promise.all([client.connect(), sub.connect()]);
  } catch (err) {
    client.disconnect();
    sub.disconnect();
    throw new Error(`Cannot connect to Redis at ${url}: ${(err as Error).message}. Check REDIS_URL.`, {
      cause: err,
    });
  }
  // The streams adapter duplicates this client (a stream reader, a pub/sub subscriber) and, for a
  // lazyConnect client, awaits connect() on each duplicate without handling its failure: Redis going
  // away before they are ready rejected a promise nobody caught, and killed the process. Duplicated
  // without lazyConnect, they connect (and reconnect) by themselves, errors handled by ioredis.
  client.options.lazyConnect = false;
  const listeners: Array<(teamId: string, p: TeamPosition) => void> = [];
  const taskListeners: Array<(e: TaskEvent, c: TaskCase) => void> = [];
  const resubscribed: Array<() => void> = [];
  await sub.subscribe(POSITIONS_CHANNEL, TASKS_CHANNEL);
  sub.on('message', (channel, raw: string) => {
    try {
      if (channel === TASKS_CHANNEL) {
        const m = JSON.parse(raw) as { origin: string; event: TaskEvent; case: TaskCase };
        if (m.origin === origin) return;
        if (typeof m.event?.caseId !== 'string' || !Array.isArray(m.case?.parties))
          throw new Error('not a task event');
        for (const l of taskListeners) l(m.event, m.case);
        return;
      }
      const m = JSON.parse(raw) as { origin: string; teamId: string; position: TeamPosition };
      if (m.origin === origin) return;
      for (const l of listeners) l(m.teamId, m.position);
    } catch (err) {
      logger.warn({ err, channel }, 'ignored a malformed message from redis');
    }
  });
  // ioredis subscribes again by itself on reconnecting; 'ready' follows.
  sub.on('ready', () => {
    for (const l of resubscribed) l();
  });
  return {
    // The adapter's requests (fetchSockets: GET /api/presence) and the count of processes that
    // answer them go over pub/sub channels of their own, not the stream: named for the deployment
    // too, or one deployment's presence counted another's connections.
    adapter: createAdapter(client, {
      streamName: stream,
      channelPrefix: adapterChannels,
      sessionKeyPrefix: sessions,
    }),
    publishFix(teamId, position) {
      client
        .publish(POSITIONS_CHANNEL, JSON.stringify({ origin, teamId, position }))
        .catch((err: unknown) => logger.warn({ err, teamId }, 'could not publish a team position to redis'));
    },
    onRemoteFix(listener) {
      listeners.push(listener);
    },
    publishTaskEvent(event, c) {
      client
        .publish(TASKS_CHANNEL, JSON.stringify({ origin, event, case: c }))
        .catch((err: unknown) =>
          logger.warn({ err, caseId: event.caseId }, 'could not publish a team task change to redis'),
        );
    },
    onRemoteTaskEvent(listener) {
      taskListeners.push(listener);
    },
    onResubscribed(listener) {
      resubscribed.push(listener);
    },
    async ping() {
      // While reconnecting, commands wait in ioredis's offline queue (maxRetriesPerRequest: null):
      // a health check must not wait with them.
      for (const c of [client, sub])
        if (c.status !== 'ready') throw new Error(`connection ${c.status}, not ready`);
      await client.ping();
    },
    async close() {
      // QUIT waits in ioredis's offline queue while Redis is unreachable, for as long as it is: a
      // connection not ready is dropped instead, and one that is has a second to say goodbye.
      await Promise.allSettled(
        [client, sub].map(async (c) => {
          if (c.status !== 'ready') return c.disconnect();
          await within(c.quit(), QUIT_WAIT_MS).catch(() => undefined);
          c.disconnect();
        }),
      );
    },
  };
}
