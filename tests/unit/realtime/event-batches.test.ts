// Case events leave in per-room packets: what is committed in one turn of the event loop together,
// in seq order, split at the packet limit, and without waiting for any timer.
import { describe, expect, it } from 'vitest';
import type { CaseEventMessage } from '../../../shared/realtime';
import { batchCaseEvents } from '../../../server/realtime/event-batches';

const msg = (seq: number) => ({ seq, caseId: `c${seq}` }) as unknown as CaseEventMessage;
const seqs = (packets: Array<[string, CaseEventMessage[]]>) =>
  packets.map(([room, events]) => [room, events.map((e) => e.seq)]);

describe('case event batches', () => {
  it('sends the events of one turn as one packet per room, in order, at the end of that turn', async () => {
    const sent: Array<[string, CaseEventMessage[]]> = [];
    const b = batchCaseEvents((room, events) => sent.push([room, events]));
    b.add(['county', 'township:1'], msg(1));
    b.add(['county', 'township:2'], msg(2));
    b.add(['county', 'township:1'], msg(3));
    expect(sent).toEqual([]); // nothing until the turn ends
    await new Promise((resolve) => setImmediate(resolve));
    expect(seqs(sent)).toEqual([
      ['county', [1, 2, 3]],
      ['township:1', [1, 3]],
      ['township:2', [2]],
    ]);
    // The next turn starts a new packet.
    b.add(['county'], msg(4));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seqs(sent).slice(3)).toEqual([['county', [4]]]);
  });

  it('splits a long burst into packets of at most the limit, and flushes on demand', () => {
    const sent: Array<[string, CaseEventMessage[]]> = [];
    const b = batchCaseEvents((room, events) => sent.push([room, events]), 2);
    for (let seq = 1; seq <= 5; seq++) b.add(['county'], msg(seq));
    b.flush();
    expect(seqs(sent)).toEqual([
      ['county', [1, 2]],
      ['county', [3, 4]],
      ['county', [5]],
    ]);
    b.flush(); // nothing left: nothing sent
    expect(sent).toHaveLength(3);
  });
});
