// Several processes behind a load balancer: Socket.IO packets travel through Redis Streams (the
// streams adapter keeps connection state recovery working across processes, which the plain
// pub/sub adapter cannot), and each fix's "latest position" is published so every process's
// in-memory picture of the teams stays the same.
import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { TeamPosition } from '../../shared/teams';
import type { Logger } from '../logger';

const POSITIONS_CHANNEL = 'gaoping:positions';

export interface RedisBridge {
  adapter: ReturnType<typeof createAdapter>;
  publishFix(teamId: string, position: TeamPosition): void;
  onRemoteFix(listener: (teamId: string, position: TeamPosition) => void): void;
  /** Resolves when both connections are up and a PING is answered (the health check times it). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectRedis(url: string, logger: Logger): Promise<RedisBridge> {
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
  await sub.subscribe(POSITIONS_CHANNEL);
  sub.on('message', (_channel, raw: string) => {
    try {
      const m = JSON.parse(raw) as { origin: string; teamId: string; position: TeamPosition };
      if (m.origin === origin) return;
      for (const l of listeners) l(m.teamId, m.position);
    } catch (err) {
      logger.warn({ err }, 'ignored a malformed position message from redis');
    }
  });
  return {
    adapter: createAdapter(client, { streamName: 'gaoping:socket.io' }),
    publishFix(teamId, position) {
      client
        .publish(POSITIONS_CHANNEL, JSON.stringify({ origin, teamId, position }))
        .catch((err: unknown) => logger.warn({ err, teamId }, 'could not publish a team position to redis'));
    },
    onRemoteFix(listener) {
      listeners.push(listener);
    },
    async ping() {
      // While reconnecting, commands wait in ioredis's offline queue (maxRetriesPerRequest: null):
      // a health check must not wait with them.
      for (const c of [client, sub])
        if (c.status !== 'ready') throw new Error(`connection ${c.status}, not ready`);
      await client.ping();
    },
    async close() {
      await Promise.allSettled([client.quit(), sub.quit()]);
    },
  };
}
