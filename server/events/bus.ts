// In-process domain bus: the case engine publishes each stored event, after its transaction has
// committed, with the case as it now is; realtime fan-out (and anything else) subscribes.
import type { CaseEvent, CaseView } from '../../shared/cases';
import type { Handover } from '../../shared/handovers';

export interface CaseEventMessage {
  event: CaseEvent;
  /** The case after the change, including `parties` (who may see it). */
  caseView: CaseView;
}

export interface DomainBusMap {
  'case:event': CaseEventMessage;
  /** 交接班: a handover made or taken (for the command centre's screens). */
  handover: Handover;
}

type Listener<T> = (msg: T) => void;

/**
 * Resolves once everything queued with setImmediate so far has run (they run in order): listeners
 * that send at the end of the turn (realtime/event-batches.ts, to the clients and through Redis to
 * the other processes) have sent what was emitted before the call. A reply written after it cannot
 * get ahead of the events it acknowledges.
 */
export function afterThisTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class DomainBus {
  private readonly listeners = new Map<keyof DomainBusMap, Set<Listener<never>>>();

  constructor(private readonly onError: (err: unknown, topic: string) => void = () => undefined) {}

  on<K extends keyof DomainBusMap>(topic: K, listener: Listener<DomainBusMap[K]>): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Delivers synchronously, in order; a failing listener is reported and does not stop the others. */
  emit<K extends keyof DomainBusMap>(topic: K, msg: DomainBusMap[K]): void {
    const set = this.listeners.get(topic);
    if (!set) return;
    for (const l of set) {
      try {
        (l as Listener<DomainBusMap[K]>)(msg);
      } catch (err) {
        this.onError(err, topic);
      }
    }
  }
}
