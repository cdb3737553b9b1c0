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
      void client.publish(POSITIONS_CHANNEL, JSON.stringify({ origin, teamId, position }));
    },
    onRemoteFix(listener) {
      listeners.push(listener);
    },
    async close() {
      await Promise.allSettled([client.quit(), sub.quit()]);
    },
  };
}
