// The desk's real-time sync against a fake server: what was missed is fetched before live events
// apply, each event is applied once, a seq jump is no gap, a long outage or a failing resync reloads
// the whole desk, and a live event that arrives mid-resync waits for it.
import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import type { CaseEventMessage, EventsPage } from '../../../shared/realtime';
import { DeskSync, parseCaseEventMessage } from '../../../client/src/lib/desk/sync';

function event(seq: number, caseId: string, version: number): CaseEventMessage {
  return {
    seq,
    caseId,
    type: 'acknowledge',
    actor: { id: 'u', username: 'u', displayName: 'u', role: 'township' },
    at: seq * 1000,
    payload: {},
    case: { id: caseId, version } as CaseView,
  };
}

/** A fake server: the events this desk may see, paged like GET /api/events. */
const END = Number.MAX_SAFE_INTEGER;

function harness(visible: CaseEventMessage[], headAtStart: number, pageSize = 2) {
  let head = headAtStart;
  const calls: string[] = [];
  const applied: number[] = [];
  let failEvents = false;
  let failSnapshot = false;
  let gate: Promise<void> | null = null;
  const sync = new DeskSync({
    async fetchEvents(after): Promise<EventsPage> {
      calls.push(after === END ? 'head' : `events after ${after}`);
      if (gate) await gate;
      if (failEvents) throw new Error('503');
      if (after >= head) return { events: [], lastSeq: after, more: false, head };
      const rest = visible.filter((e) => e.seq > after);
      const page = rest.slice(0, pageSize);
      const more = rest.length > pageSize;
      return { events: page, lastSeq: more ? page[page.length - 1]!.seq : head, more, head };
    },
    async loadSnapshot(reconnected) {
      calls.push(reconnected ? 'snapshot (reconnect)' : 'snapshot');
      if (gate) await gate;
      return failSnapshot ? null : head; // the lowest head of its pages
    },
    apply(events) {
      applied.push(...events.map((e) => e.seq));
    },
    rewound() {
      calls.push('reload page');
    },
  });
  return {
    sync,
    calls,
    applied,
    failEvents: (v: boolean) => (failEvents = v),
    failSnapshot: (v: boolean) => (failSnapshot = v),
    /** Events committed meanwhile: the server's head moves on. */
    setHead: (v: number) => (head = v),
    /** Hold events requests until the returned function is called. */
    hold: () => {
      let open!: () => void;
      gate = new Promise<void>((r) => (open = r));
      return () => {
        gate = null;
        open();
      };
    },
  };
}

describe('desk sync', () => {
  it('loads the whole desk first, following on from the event head its pages carry', async () => {
    const h = harness([], 40);
    await h.sync.onConnect();
    expect(h.calls).toEqual(['snapshot']); // no separate request for the head
    expect(h.sync.cursor).toBe(40);
    h.sync.receive([event(41, 'c1', 2)]);
    expect(h.applied).toEqual([41]);
    // A live event does not move the resume cursor: the desk cannot tell whether one came before it.
    expect(h.sync.cursor).toBe(40);
  });

  it('on a reconnect fetches what it missed, page by page, and never applies an event twice', async () => {
    const h = harness([event(41, 'c1', 2), event(57, 'c2', 1), event(90, 'c1', 3)], 40, 1);
    await h.sync.onConnect();
    h.sync.receive([event(41, 'c1', 2)]);
    // Disconnected meanwhile: 57 and 90 happened (seqs 42–56 were other townships': no gap).
    h.setHead(120);
    await h.sync.onConnect();
    expect(h.calls).toEqual(['snapshot', 'events after 40', 'events after 41', 'events after 57']);
    expect(h.applied).toEqual([41, 57, 90]);
    // The cursor moves past events this desk cannot see, to the head.
    expect(h.sync.cursor).toBe(120);
    // The same event again (a Socket.IO replay, an overlap): nothing happens.
    h.sync.receive([event(90, 'c1', 3)]);
    expect(h.applied).toEqual([41, 57, 90]);
  });

  it("loads the page afresh when the server's log is behind its cursor (a database restored from a backup)", async () => {
    const h = harness([event(41, 'c1', 2)], 40, 1);
    await h.sync.onConnect();
    h.sync.receive([event(41, 'c1', 2)]);
    // The server comes back on a backup whose log ends at 30: its next events are seqs 31, 32 …,
    // which this desk would take for ones it has.
    h.setHead(30);
    await h.sync.onConnect();
    expect(h.calls).toEqual(['snapshot', 'events after 40', 'reload page']);
    expect(h.applied).toEqual([41]);
  });

  it('a live event that overtook an earlier one (another server process) never hides it', async () => {
    // Seq 60 is committed by one process, 61 by another; the desk gets 61 live, then drops.
    const h = harness([event(60, 'a', 2), event(61, 'b', 2)], 59, 10);
    await h.sync.onConnect();
    h.sync.receive([event(61, 'b', 2)]);
    h.setHead(61);
    await h.sync.onConnect();
    expect(h.calls.at(-1)).toBe('events after 59');
    expect(h.applied).toEqual([61, 60]);
    expect(h.sync.cursor).toBe(61);
  });

  it('holds live events that arrive during the resync until it is done, in seq order', async () => {
    const h = harness([event(10, 'a', 1), event(11, 'b', 1)], 9, 10);
    await h.sync.onConnect();
    h.sync.receive([event(5, 'z', 1)]);
    h.setHead(11);
    const go = h.hold();
    const resync = h.sync.onConnect();
    expect(h.sync.syncing).toBe(true);
    h.sync.receive([event(12, 'a', 2)]); // live, newer than anything the resync will bring
    h.sync.receive([event(11, 'b', 1)]); // also in the resync page
    expect(h.applied).toEqual([5]);
    go();
    await resync;
    expect(h.applied).toEqual([5, 10, 11, 12]);
    expect(h.sync.syncing).toBe(false);
    expect(h.sync.cursor).toBe(11);
  });

  it('reloads the whole desk when the resync fails or the outage was too long', async () => {
    const h = harness([], 6);
    await h.sync.onConnect();
    h.sync.receive([event(7, 'c', 1)]);
    h.failEvents(true); // the server is not answering: the resync and the whole-desk load both fail
    h.failSnapshot(true);
    await h.sync.onConnect();
    expect(h.calls.slice(-2)).toEqual(['events after 6', 'snapshot (reconnect)']);
    // No cursor, so the next connect reloads whole again.
    expect(h.sync.cursor).toBeNull();

    const many = Array.from({ length: 100 }, (_, i) => event(i + 1, `c${i}`, 1));
    const long = harness(many, 0, 2);
    await long.sync.onConnect();
    long.sync.receive([event(1, 'c0', 1)]);
    long.setHead(100);
    await long.sync.onConnect();
    expect(long.calls.slice(-1)).toEqual(['snapshot (reconnect)']);
    expect(long.sync.cursor).toBe(100);
  });

  it('after a whole-desk load that failed, keeps no cursor and loads whole again on the next connect', async () => {
    const h = harness([event(41, 'a', 1)], 40);
    h.failSnapshot(true);
    await h.sync.onConnect();
    expect(h.sync.cursor).toBeNull(); // not the head: the desk does not hold what came before it
    h.failSnapshot(false);
    h.setHead(41);
    await h.sync.onConnect();
    expect(h.calls).toEqual(['snapshot', 'snapshot (reconnect)']);
    expect(h.sync.cursor).toBe(41);
  });

  it('checks what arrives on the wire', () => {
    expect(parseCaseEventMessage(event(3, 'c', 1))).not.toBeNull();
    expect(parseCaseEventMessage({ ...event(3, 'c', 1), seq: 0 })).toBeNull();
    expect(parseCaseEventMessage({ ...event(3, 'c', 1), case: { id: 'other', version: 1 } })).toBeNull();
    expect(parseCaseEventMessage({ seq: 3, caseId: 'c', type: 'x' })).toBeNull();
    expect(parseCaseEventMessage('case:event')).toBeNull();
  });

  it('applies a live packet of several events at once, skipping what is malformed in it', async () => {
    const h = harness([], 40);
    await h.sync.onConnect();
    h.sync.receive([event(41, 'a', 2), { seq: 42, caseId: 'b' }, event(43, 'c', 1)]);
    expect(h.applied).toEqual([41, 43]);
    h.sync.receive(event(44, 'd', 1)); // not a packet (an array): ignored
    h.sync.receive('[]');
    expect(h.applied).toEqual([41, 43]);
  });
});
