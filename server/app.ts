// Builds the whole server (Express + Socket.IO on one HTTP server) from its dependencies, so that
// production (main.ts) and every test start the same thing: createApp({ config, store, clock }).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import compression from 'compression';
import { Server as IoServer } from 'socket.io';
import type { Config } from './config';
import { systemClock, type Clock } from './clock';
import { createLogger, type Logger } from './logger';
import type { Store } from './store/db';
import { deploymentId } from './scale/deployment';
import type { AppContext } from './context';
import { errorHandler, notFoundApi, parseWith } from './http/errors';
import { requireRole, requireUser } from './auth/guards';
import { connectMiddleware, leanRoutes } from './http/lean';
import { securityHeaders } from './http/security';
import { refuseControlCharacters } from './http/input-guard';
import { jsonBodyParser } from './http/json-body';
import { clientRouter, servedBuild } from './http/static';
import { trackRequests } from './http/drain';
import { CLIENT_BUILD_HEADER } from '../shared/build';
import { healthRouter, type HealthCheck } from './health/routes';
import { UserService } from './auth/users';
import { TokenService, loadJwtSecret } from './auth/tokens';
import { authenticate, requireAuth } from './auth/middleware';
import { SessionCheck } from './auth/session-check';
import { authRouter } from './auth/routes';
import { loadDepartments } from './county/departments';
import { TeamService } from './teams/service';
import { taskInputOf } from './teams/tasks';
import { deviceRouter, teamsRouter } from './teams/routes';
import { alwaysLeader, postgresLeader } from './scale/leader';
import { connectRedis } from './scale/redis';
import { attachRealtime, RECOVERY_WINDOW_MS } from './realtime/socket';
import { eventsRouter } from './realtime/routes';
import { presenceRouter } from './realtime/presence';
import { DomainBus } from './events/bus';
import { createCaseEngine } from './cases/index';
import { countyPhrases, phrasesChangeSchema } from './county/phrases';
import { PHRASE_EDITORS } from '../shared/phrases';
import { clueIntake } from './cases/routes';
import type { GeoIndex } from './geo/types';
import { loadDefaultGeoIndex } from './geo/default';
import { geoRouter } from './geo/routes';
import { basemapTileOrigins } from './geo/basemap';
import { cluePhotosFor, uploadsRouter } from './uploads/routes';
import { STAGED_TTL_MS } from './uploads/clue-photos';
import { exportRouter } from './export/routes';
import { HandoverService } from './handovers/service';
import { handoversRouter } from './handovers/routes';

/** How long a graceful stop waits for the requests being answered before it cuts them. */
const SHUTDOWN_GRACE_MS = 5000;
/** How long the WebSockets are given to close after that, before they are cut. */
const SOCKETS_GRACE_MS = 1000;

export interface AppDeps {
  config: Config;
  store: Store;
  clock?: Clock;
  logger?: Logger;
  /** Serve the built client (default true). */
  serveClient?: boolean;
  /** The jurisdiction index; default: the demo county pack in geo/gaoping, built once per process. */
  geo?: GeoIndex;
}

export interface AppHandle {
  ctx: AppContext;
  app: express.Express;
  server: http.Server;
  io: IoServer;
  /** Start listening; resolves with the bound port and a base URL on 127.0.0.1. */
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** HTTP requests being answered now (a graceful stop waits for them). */
  requestsInFlight(): number;
  /**
   * Stop accepting; answer the requests begun (up to SHUTDOWN_GRACE_MS), then close the sockets and
   * background jobs. The store is closed by its owner.
   */
  close(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<AppHandle> {
  const { config, store } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger(config.LOG_LEVEL);
  // The county's own usual words (常用语), if it has listed them: a faulty file stops the start
  // before anything is running; later changes are read as they come.
  const phrases = countyPhrases(config.dataDir, logger);

  const app = express();
  app.disable('x-powered-by');
  // The client's address (req.ip) as the proxies named by TRUST_PROXY forward it. Only the sign-in
  // limit reads it: the lean intake route and Socket.IO do not look at addresses.
  app.set('trust proxy', config.TRUST_PROXY);
  // Clue intake is served before Express (http/lean.ts); everything else by Express.
  let lean: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | null = null;
  const server = http.createServer((req, res) => {
    // Stopping, a request behind an answer sent as its connection's last is not handled: it could
    // not be answered (http/drain.ts), so it is left unread, safe for its sender to send again.
    if (requests.doomed(req)) return;
    if (!lean?.(req, res)) app(req, res);
  });
  // What a graceful stop waits for (http/drain.ts).
  const requests = trackRequests(server);
  const io = new IoServer(server, {
    serveClient: false,
    // Clients that drop for a moment get the missed packets replayed (server/realtime/recovery-buffer.ts).
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
  });

  const users = new UserService(store, () => clock.now());
  const tokens = new TokenService(loadJwtSecret(config), clock);
  const sessions = new SessionCheck(users, config.SESSION_CHECK_MS);
  const departments = loadDepartments();
  const geo = deps.geo ?? (await loadDefaultGeoIndex(config));
  const stoppers: Array<() => Promise<void> | void> = [];
  const healthChecks: Record<string, HealthCheck> = {};

  const teams = new TeamService(store, clock, {
    retentionDays: config.TRACK_RETENTION_DAYS,
    onRefreshError: (err) => logger.warn({ err }, 're-reading teams and devices failed; will retry'),
  });
  await teams.load();
  teams.start();
  stoppers.push(() => teams.stop());

  // Several processes: Socket.IO packets and team positions travel through Redis; once-only jobs
  // run on whichever process holds the PostgreSQL advisory lock.
  if (config.REDIS_URL) {
    const redis = await connectRedis(config.REDIS_URL, logger, await deploymentId(store));
    io.adapter(redis.adapter);
    teams.setFixPublisher((teamId, p) => redis.publishFix(teamId, p));
    redis.onRemoteFix((teamId, p) => teams.noteFix(teamId, p, true));
    teams.setTaskPublisher((e, c) => redis.publishTaskEvent(e, c));
    redis.onRemoteTaskEvent((e, c) => teams.noteCaseEvent(e, c, true));
    redis.onResubscribed(() => {
      // A no-op until the first read of the tasks (below) has ended.
      teams.reloadTasks().catch((err: unknown) => logger.warn({ err }, "re-reading the teams' tasks failed"));
    });
    stoppers.push(() => redis.close());
    healthChecks.redis = () => redis.ping();
  }
  const leader =
    store.engine === 'postgres' && config.DATABASE_URL
      ? postgresLeader(config.DATABASE_URL, 'jobs', logger)
      : alwaysLeader;
  stoppers.push(() => leader.stop());

  const cluePhotos = cluePhotosFor({ config, clock });

  const bus = new DomainBus((err, topic) => logger.error({ err, topic }, 'domain bus listener failed'));
  const caseEngine = createCaseEngine({
    store,
    clock,
    geo,
    departments,
    bus,
    logger,
    autoDispatch: config.AUTO_DISPATCH,
    cluePhotos,
    casePhotos: cluePhotos.cases,
    scanIntervalMs: config.DEADLINE_SCAN_MS,
    // Several processes: only the leader scans (each mark is also guarded in its own transaction).
    runOnce: async (job) => {
      if (leader.isLeader()) await job();
    },
  });
  caseEngine.deadlines.start();
  // Each team's current task follows the case events committed here (and, through Redis, those of
  // the other processes), from what the records hold at start.
  const catalogue = caseEngine.cases.catalogue;
  const nameOf = (code: string) => catalogue.byCode.get(code)?.name ?? code;
  stoppers.push(
    bus.on('case:event', ({ event, caseView }) => {
      if (!teams.wantsCaseEvent(event)) return; // most events move no task: nothing built for them
      const t = taskInputOf(event, caseView);
      teams.noteCaseEvent(t.event, t.case);
    }),
  );
  await teams.loadTasks(nameOf);
  // The hourly jobs, on the leader: old team tracks; clue photos no clue took, and the case folders
  // an intake left behind, settled against the cases stored.
  // Tracks go a batch at a time (TeamService.prune), with progress every 100,000 rows; one prune at
  // a time, stopped with the server (which waits for the batch under way before closing the store).
  const stopPruning = new AbortController();
  let pruningTracks: Promise<void> | null = null;
  const pruneTracks = (): Promise<void> => {
    pruningTracks ??= pruneTracksNow().finally(() => {
      pruningTracks = null;
    });
    return pruningTracks;
  };
  const pruneTracksNow = async (): Promise<void> => {
    const t0 = Date.now();
    let logged = 0;
    const n = await teams.prune({
      signal: stopPruning.signal,
      onBatch: (soFar) => {
        if (soFar - logged < 100_000) return;
        logged = soFar;
        logger.info({ deleted: soFar }, 'deleting team tracks older than TRACK_RETENTION_DAYS…');
      },
    });
    if (n)
      logger.info({ deleted: n, ms: Date.now() - t0 }, 'deleted team tracks older than TRACK_RETENTION_DAYS');
  };
  const pruneTimer = setInterval(() => {
    if (!leader.isLeader()) return;
    pruneTracks().catch((err) => logger.warn({ err }, 'track pruning failed; will retry in an hour'));
    cluePhotos
      .prune(clock.now() - STAGED_TTL_MS, (ids) => caseEngine.cases.storedIds(ids))
      .then(
        (n) =>
          (n.keptAside || n.leftBehind) &&
          logger.info(
            n,
            'pruned clue photos no clue took within a day, and case folders an intake left behind',
          ),
      )
      .catch((err) => logger.warn({ err }, 'clue photo pruning failed; will retry in an hour'));
  }, 3600_000);
  pruneTimer.unref();
  stoppers.push(async () => {
    clearInterval(pruneTimer);
    stopPruning.abort();
    await pruningTracks?.catch(() => undefined); // its failure was logged where it ran
  });
  stoppers.push(() => caseEngine.deadlines.stop());

  const ctx: AppContext = {
    config,
    store,
    clock,
    logger,
    io,
    users,
    tokens,
    sessions,
    departments,
    teams,
    leader,
    geo,
    bus,
    cases: caseEngine.cases,
    caseDeadlines: caseEngine.deadlines,
  };
  stoppers.push(attachRealtime(ctx));

  const security = securityHeaders(basemapTileOrigins(config.BASEMAP)); // the CSP lets the basemap's tiles in
  const jsonBody = jsonBodyParser('1mb'); // JSON in UTF-8 only (415 otherwise)
  const bearer = authenticate(tokens, sessions);
  lean = leanRoutes(
    [
      clueIntake(caseEngine.cases, [
        connectMiddleware(security),
        connectMiddleware(jsonBody),
        refuseControlCharacters,
        bearer,
      ]),
    ],
    logger,
  );
  app.use(security);
  // Gzip pays off for map layers, lists and exports, all of them GETs, above 8 kB. The answers to
  // POSTs (a case after an intake or an action, 1–3 kB) skip the middleware altogether: it would
  // gain a few hundred bytes on a LAN and costs ~30 µs per request on the intake path.
  const gzip = compression({ threshold: '8kb' });
  app.use((req, res, next) =>
    req.method === 'GET' || req.method === 'HEAD' ? gzip(req, res, next) : next(),
  );
  const api = express.Router();
  // Every answer names the client build served now: a page left open through an upgrade sees it at
  // its next request (a wall's resync after the restart, a leader page's minute) and loads afresh
  // when it may (client/src/lib/stale-build.ts).
  if (deps.serveClient !== false) {
    const build = servedBuild();
    api.use((_req, res, next) => {
      const name = build();
      if (name) res.setHeader(CLIENT_BUILD_HEADER, name);
      next();
    });
  }
  // Photo uploads read their own body (the bytes decide the type, whatever the Content-Type says),
  // after the sign-in and the case's scope are checked: a JPEG sent as application/json was parsed
  // as JSON here (400 malformed JSON, 413 past 1 MB).
  const photoUpload = /^\/(?:cases\/[^/]+\/photos|clue-photos)\/?$/;
  api.use((req, res, next) =>
    req.method === 'POST' && photoUpload.test(req.path) ? next() : jsonBody(req, res, next),
  );
  // A NUL in the path, the query or the JSON body (PostgreSQL text cannot hold one), a control
  // character in the path or the query: 400 naming where, before any route reads the request.
  api.use(refuseControlCharacters);
  api.use(bearer);
  // The case endpoints first (case actions and lists are the next busiest after intake), as Express
  // tries every route of every router mounted before the one that matches. Each of its handlers
  // requires a signed-in user itself (requireUser: 401), so it needs no requireAuth in front.
  api.use(caseEngine.router);
  // Public: health checks (load balancers), sign-in.
  api.use(healthRouter(ctx, healthChecks));
  api.use(authRouter(ctx));
  api.use(deviceRouter(ctx)); // GPS devices authenticate themselves
  api.use(geoRouter(ctx)); // jurisdiction lookup and map layers: public for now
  // Everything mounted below needs a signed-in user.
  api.use(requireAuth);
  api.get('/phrases', (req, res) => {
    const { fault, ...now } = phrases.current();
    // What is wrong with a hand-edited file is for those who can mend it.
    const editor = PHRASE_EDITORS.includes(req.user!.role);
    res.json({ ...now, ...(editor && fault ? { fault } : {}) });
  });
  api.put('/phrases', (req, res) => {
    const user = requireRole(requireUser(req), PHRASE_EDITORS, 'change the usual words');
    const change = parseWith(phrasesChangeSchema, req.body, 'body');
    res.json(phrases.save(change.phrases, change.revision, user.username));
  });
  api.use(teamsRouter(ctx));
  api.use(handoversRouter(new HandoverService(store, clock, bus))); // 交接班
  api.use(eventsRouter(ctx)); // resync after a reconnect
  api.use(presenceRouter(ctx)); // who has a desk or the big screen open (the demo simulator steps back)
  api.use(uploadsRouter(ctx, undefined, cluePhotos), exportRouter(ctx)); // photos; statistics export (xlsx, csv)
  api.use(notFoundApi);
  app.use('/api', api);
  if (deps.serveClient !== false) app.use(clientRouter());
  app.use(errorHandler(logger));

  return {
    ctx,
    app,
    server,
    io,
    listen(port = config.PORT, host = config.HOST) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const bound = (server.address() as AddressInfo).port;
          resolve({ port: bound, url: `http://127.0.0.1:${bound}` });
        });
      });
    },
    requestsInFlight: () => requests.inFlight(),
    async close() {
      // Socket.IO first, while Redis and the database are still up: each socket closes as "server
      // shutting down", its session is saved for connection state recovery (in Redis with several
      // processes, so a client the balancer moves to another process resumes there), and no event
      // is emitted into an adapter whose Redis is gone. Then the jobs, the leader lock, Redis.
      // The HTTP server stops listening too; what it has begun is answered (up to SHUTDOWN_GRACE_MS)
      // before its connections are closed, while the store is still open.
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      const busy = requests.inFlight();
      if (busy) logger.info({ requests: busy }, `stopping: answering the requests in flight (${busy}) first`);
      const { answered, cut } = await requests.drain(SHUTDOWN_GRACE_MS);
      if (cut)
        logger.warn(
          { answered, cut },
          `stopping: requests still unanswered after ${SHUTDOWN_GRACE_MS / 1000} s were cut (${cut})`,
        );
      else if (answered)
        logger.info({ answered }, `stopping: the requests in flight were answered (${answered})`);
      // A WebSocket whose browser does not answer Socket.IO's close (asleep, its cable out) would
      // hold the server open for `ws`'s 30 s, past main.ts's 10 s: a moment, then cut.
      let waited: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        closed,
        new Promise((resolve) => (waited = setTimeout(resolve, SOCKETS_GRACE_MS))),
      ]);
      clearTimeout(waited);
      requests.cutRest();
      await closed;
      for (const stop of stoppers.reverse()) await stop();
    },
  };
}
