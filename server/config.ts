// Server configuration, read once from the environment and validated, so a bad value stops the
// start with a message that names the variable instead of failing later in some request.
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { basemapSchema } from './geo/basemap';
import { DEFAULT_CHECKPOINT_MS } from './store/checkpointer';

/** proxy-addr's names for address ranges (Express's `trust proxy`). */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address or CIDR range (`10.0.0.5`, `10.0.0.0/8`, `fd00::/8`), or one of PROXY_RANGES. */
function proxyEntry(v: string): boolean {
  if (PROXY_RANGES.includes(v)) return true;
  const [ip, prefix, ...rest] = v.split('/');
  const family = net.isIP(ip!);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which peers' X-Forwarded-For Express believes (`trust proxy`): a hop count (0 = none, 1 = the
 * peer whatever it is …), or a comma list of addresses, CIDR ranges and proxy-addr's names.
 */
const trustProxy = z
  .string()
  .trim()
  .refine(
    (v) => /^\d{1,2}$/.test(v) || v.split(',').every((e) => proxyEntry(e.trim())),
    'a hop count (0–99), or a comma list of IPs, CIDR ranges (10.0.0.0/8) and loopback, linklocal, uniquelocal',
  )
  .transform((v): number | string[] => (/^\d+$/.test(v) ? Number(v) : v.split(',').map((e) => e.trim())));

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'on' || v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /**
   * The reverse proxies whose X-Forwarded-For gives the client's address (the sign-in limit per
   * address counts it): loopback by default. See trustProxy.
   */
  TRUST_PROXY: trustProxy.default(['loopback']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIMULATOR: onOff.default(true),
  DEMO: onOff.default(true),
  DEMO_PASSWORD: z.string().min(1).default('demo'),
  /**
   * Days of demo history written on the first start (0 = none). 90 by default; 400 or more gives
   * 同比 a year to compare with (about 0.25 s of CPU a day on the embedded SQLite).
   */
  DEMO_HISTORY_DAYS: z.coerce.number().int().min(0).max(1100).default(90),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTO_DISPATCH: onOff.default(true),
  BOUNDARY_METERS: z.coerce.number().min(0).max(5000).default(30),
  TRACK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** The map's basemap, read by the client at run time (GET /api/map-config); see geo/basemap.ts. */
  BASEMAP: basemapSchema.default('offline'),
  TIANDITU_KEY: z.string().trim().min(1).optional(),
  /**
   * Most a Socket.IO connection may have queued for sending (engine.io's packet queue plus the TCP
   * socket's unsent bytes), in MB; a client past it is disconnected and resyncs over HTTP when it
   * comes back. 0 turns the limit off.
   */
  SOCKET_MAX_BUFFER_MB: z.coerce
    .number()
    .min(0)
    .max(1024)
    .refine((v) => v === 0 || v >= 0.01, 'must be 0 (no limit) or at least 0.01')
    .default(16),
  /**
   * The most the events kept for connection state recovery may take, in MB (one process, in-memory
   * adapter; the oldest are dropped first, and a client that missed more resyncs over HTTP).
   */
  SOCKET_RECOVERY_BUFFER_MB: z.coerce.number().min(1).max(4096).default(32),
  /**
   * How long an account's state (disabled, password changed) is taken as read, in ms: a session
   * the `users` command ended stops working within this, open sockets included
   * (server/auth/session-check.ts).
   */
  SESSION_CHECK_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** How often the overdue scan runs, in ms (on the leader only when several processes run). */
  DEADLINE_SCAN_MS: z.coerce.number().int().min(1000).max(3_600_000).default(15_000),
  /**
   * SQLite: N > 0 (default 50) checkpoints the WAL in a worker thread every N ms
   * (server/store/checkpointer.ts); 0 lets the commit that crosses 1,000 WAL pages checkpoint, as
   * SQLite does by itself.
   */
  SQLITE_CHECKPOINT_MS: z.coerce.number().int().min(0).max(60_000).default(DEFAULT_CHECKPOINT_MS),
  /**
   * SQLite: intake's group commits run in a writer thread with its own connection (on, the
   * default), or on the server's main thread (off) — server/store/sqlite-writer.ts.
   */
  SQLITE_WRITER_THREAD: onOff.default(true),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string; version: string };

export class ConfigError extends Error {}

/** Parse `env` into a Config; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  // Empty strings count as unset: `PORT= npm start` should mean the default, not an error.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema
    .refine((c) => !c.BASEMAP.startsWith('tianditu') || !!c.TIANDITU_KEY, {
      message: 'Tianditu needs its key: set TIANDITU_KEY',
      path: ['BASEMAP'],
    })
    .safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '');
      return `  ${i.path.join('.')}=${shownValue(name, cleaned[name] ?? '')}: ${plainMessage(i)}`;
    });
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR), version };
}

/** Variables whose values are secrets: a configuration error names them, never shows them. */
const SECRET_VARIABLES = new Set(['JWT_SECRET', 'DEMO_PASSWORD', 'TIANDITU_KEY']);
/** URLs that may carry a password (`postgres://user:password@host/db`). */
const URL_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL']);

/** A value as a configuration error shows it: secrets hidden, a URL's password masked. */
export function shownValue(name: string, value: string): string {
  if (SECRET_VARIABLES.has(name)) return `(hidden, ${[...value].length} characters)`;
  if (URL_VARIABLES.has(name)) return JSON.stringify(maskUrlPassword(value));
  return JSON.stringify(value);
}

/**
 * `scheme://user:password@host…` with the password as `***`; by pattern, not by URL parsing, as
 * the value in an error may be no valid URL at all (up to the last `@`: a password may hold one).
 */
export function maskUrlPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^/]*@/i, '$1***@');
}

/**
 * zod's own wording (`Invalid input: expected number, received NaN`) in plain words; the messages
 * this schema gives itself are kept.
 */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (!/^(Invalid|Too (small|big))/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number') return 'must be a number';
      if (issue.expected === 'int') return 'must be a whole number';
      return issue.message;
    case 'too_small':
      if (issue.origin === 'number')
        return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`;
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must be at least ${String(issue.minimum)} characters`;
      return issue.message;
    case 'too_big':
      if (issue.origin === 'number')
        return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
      return issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message;
  }
}
