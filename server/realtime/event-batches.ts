// Case events travel in batches: the events committed in one turn of the event loop (an intake
// group commit carries several clues, two events each; a busy command centre acts on several cases
// at once) go to each room as one `case:events` packet, in seq order, at the end of that turn.
// Fan-out costs per packet and per connection (engine.io queues one packet object per connection,
// each is a frame to write and a message for the client to decode), not per byte, so a burst of
// N events costs about what one did. Nothing waits for a timer: a lone event leaves in the same
// turn, and the busier the server, the fuller each packet. The case engine replies only after this
// turn's packets have gone (afterThisTurn, events/bus.ts: the setImmediate below runs first).
import type { CaseEventMessage } from '../../shared/realtime';

/**
 * At most this many events per packet (~2 kB each): a long burst goes out as several packets. In
 * bench:realtime, packets of up to 50 (100 kB frames) cost each client more per event than packets
 * of 10, and the delivery p99 was 1.7× the floor's instead of 0.96×.
 */
export const MAX_EVENTS_PER_PACKET = 10;

export interface CaseEventBatcher {
  /** Queue `message` for each of `rooms`; sent at the end of this turn of the event loop. */
  add(rooms: readonly string[], message: CaseEventMessage): void;
  /** Send what is queued now (on shutdown). */
  flush(): void;
}

export function batchCaseEvents(
  send: (room: string, events: CaseEventMessage[]) => void,
  maxPerPacket = MAX_EVENTS_PER_PACKET,
): CaseEventBatcher {
  let pending = new Map<string, CaseEventMessage[]>();
  let scheduled: NodeJS.Immediate | null = null;
  const flush = (): void => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    const rooms = pending;
    pending = new Map();
    for (const [room, list] of rooms)
      for (let i = 0; i < list.length; i += maxPerPacket) send(room, list.slice(i, i + maxPerPacket));
  };
  return {
    add(rooms, message) {
      for (const room of rooms) {
        let list = pending.get(room);
        if (!list) pending.set(room, (list = []));
        list.push(message);
      }
      scheduled ??= setImmediate(flush);
    },
    flush,
  };
}
