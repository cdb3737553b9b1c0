// GET /api/events: the resync a client runs on every (re)connect before it applies live events.
//
// After a burst (a restart, slow clients cut off at SOCKET_MAX_BUFFER_MB) hundreds of clients ask
// at once, each for a page of up to 1000 events with their cases (about 1 MB of JSON). Built and
// held all at once, those pages would cost more memory than the frames the slow clients were cut
// off for. So at most RESYNC_PAGES_AT_ONCE pages are built and on their way at a time (until the
// response has been handed to the kernel, or the connection is gone, or RESYNC_TURN_MS has passed:
// a client that does not read its page does not hold the others up for long); the others wait
// their turn, in order. A waiting client is simply answered later; nothing is refused.
import express, { type Router } from 'express';
import { eventsQuerySchema } from '../../shared/realtime';
import { requireUser } from '../auth/guards';
import type { AppContext } from '../context';
import { parseWith } from '../http/errors';

export const RESYNC_PAGES_AT_ONCE = 4;
export const RESYNC_TURN_MS = 5000;

export function eventsRouter(ctx: Pick<AppContext, 'cases'>): Router {
  const router = express.Router();
  const turns = new Turns(RESYNC_PAGES_AT_ONCE);
  router.get('/events', async (req, res) => {
    const user = requireUser(req);
    const q = parseWith(eventsQuerySchema, req.query, 'query');
    await turns.take();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      turns.give();
    };
    const timer = setTimeout(release, RESYNC_TURN_MS);
    res.once('finish', release);
    res.once('close', release);
    try {
      if (res.destroyed) return release(); // the client left while it waited
      res.json(await ctx.cases.events(user, q.after, q.limit));
    } catch (err) {
      release();
      throw err;
    }
  });
  return router;
}

/** A counting semaphore with a FIFO queue. */
class Turns {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
