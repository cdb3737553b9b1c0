// Socket.IO's connection state recovery, kept to what it is for: a client that drops for a moment
// gets the events it missed replayed over the socket; anything longer is fetched over HTTP
// (GET /api/events?after=<its cursor>), which is always correct.
//
// Socket.IO's in-memory adapter keeps every broadcast packet (the event objects themselves) for
// `maxDisconnectionDuration` and drops old ones only once a minute. At intake rates (1,000 clues/s,
// two events each, a case view in each) that is some 20 MB of live objects a second: the heap grew
// to 300 MB in a 20 s benchmark, every young-generation collection had all of them to copy (~10 ms
// each, nine a second) and old-generation collections stalled intake by 50–150 ms. Here each
// packet, once sent, is kept as the frame Socket.IO already encoded for the wire (one buffer
// outside the JS heap, no extra serialization), the buffer is capped in bytes and trimmed by age
// as packets arrive, and team positions (superseded every second; GET /api/teams has the latest)
// keep only their place in the sequence. A client whose offset has been trimmed is not recovered:
// it gets a new session and resyncs over HTTP.
import type { AppContext } from '../context';

type IoLike = { of(nsp: string): { adapter: unknown } };

interface StoredPacket {
  id: string;
  opts: unknown;
  /**
   * The packet's arguments as Socket.IO stored them; then their encoded frame (a Buffer, or the
   * encoder's string), or null if not kept.
   */
  data: unknown[] | Buffer | string | null;
  emittedAt: number;
}

interface MemoryAdapter {
  packets: StoredPacket[];
  broadcast(packet: { type: number; data: unknown[] }, opts: unknown): void;
  /** Encodes a packet once for every recipient; may precompute the WebSocket frame into packetOpts. */
  _encode(packet: unknown, packetOpts: { wsPreEncodedFrame?: Buffer[] }): unknown[];
}

interface RestoringAdapter {
  restoreSession(pid: string, offset: string): Promise<{ missedPackets: unknown[] } | null>;
}

export interface RecoveryBufferOptions {
  /** The most the kept packets may take, in bytes (oldest dropped first). */
  maxBytes: number;
  /** How long a packet is kept (Socket.IO's maxDisconnectionDuration). */
  maxAgeMs: number;
  /** Events not worth replaying (their place in the sequence is kept, their data is not). */
  skipEvents: ReadonlySet<string>;
}

export interface RecoveryBufferStats {
  packets: number;
  bytes: number;
}

/**
 * Makes the in-memory adapter's recovery buffer compact and bounded. Returns a function that reports
 * its size, or null when the adapter keeps packets elsewhere (the Redis streams adapter: in Redis,
 * with its own stream length cap).
 */
export function compactRecoveryBuffer(
  io: IoLike,
  opts: RecoveryBufferOptions,
): (() => RecoveryBufferStats) | null {
  const adapter = io.of('/').adapter as Partial<MemoryAdapter>;
  if (
    !Array.isArray(adapter.packets) ||
    typeof adapter.broadcast !== 'function' ||
    typeof adapter._encode !== 'function'
  )
    return null;
  const memory = adapter as MemoryAdapter;
  const broadcast = memory.broadcast.bind(memory);
  const encode = memory._encode.bind(memory);
  let bytes = 0;
  /** The buffer's length after our last trim: shorter means Socket.IO's own sweep removed some. */
  let known = memory.packets.length;
  const sizeOf = (p: StoredPacket) =>
    typeof p.data === 'string' || Buffer.isBuffer(p.data) ? p.data.length : 0;

  // The frame of the packet being broadcast: the WebSocket payload ("4" + the Socket.IO packet)
  // when Socket.IO precomputed it, else the encoder's string (null: several parts, binary).
  let frame: Buffer | string | null = null;
  memory._encode = (packet, packetOpts) => {
    const encoded = encode(packet, packetOpts);
    const ws = packetOpts.wsPreEncodedFrame;
    const payload = ws?.length ? ws[ws.length - 1]! : null;
    // A frame under 4 kB is a slice of Node's shared 8 kB pool: keep a copy of its own, or the
    // kept slice would hold the whole slab (and whatever else was allocated in it).
    frame = payload
      ? payload.byteLength === payload.buffer.byteLength
        ? payload
        : ownCopy(payload)
      : encoded.length === 1 && typeof encoded[0] === 'string'
        ? encoded[0]
        : null;
    return encoded;
  };

  memory.broadcast = (packet, packetOpts) => {
    if (memory.packets.length !== known) bytes = memory.packets.reduce((n, p) => n + sizeOf(p), 0);
    const before = memory.packets.length;
    frame = null;
    broadcast(packet, packetOpts); // stores the packet (if it is one to keep), encodes and sends it
    const packets = memory.packets;
    if (packets.length > before) {
      const stored = packets[packets.length - 1]!;
      const args = stored.data as unknown[];
      const encoded = frame as Buffer | string | null; // set by _encode during broadcast()
      if (opts.skipEvents.has(String(args[0]))) stored.data = null;
      else if (encoded !== null) {
        stored.data = encoded;
        bytes += encoded.length;
      } // else (binary attachments: several parts) it stays as Socket.IO stored it
    }
    // Trim from the front: by age, then by size. Socket.IO's own sweep (once a minute) finds
    // little left to do; when it has removed some, the count above starts again from what is left.
    const oldest = Date.now() - opts.maxAgeMs;
    let drop = 0;
    let dropped = 0;
    while (drop < packets.length && (packets[drop]!.emittedAt < oldest || bytes - dropped > opts.maxBytes)) {
      dropped += sizeOf(packets[drop]!);
      drop++;
    }
    if (drop) {
      packets.splice(0, drop);
      bytes -= dropped;
    }
    known = packets.length;
  };

  return () => ({ packets: memory.packets.length, bytes });
}

/**
 * Connection state recovery replays every packet a client missed into its send queue at once,
 * encoded for that client alone. After a long absence (a client that fell behind and timed out)
 * that is thousands of packets per client; a few hundred such clients reconnecting together took
 * the server past a gigabyte. So a session whose missed packets come to more than `maxBytes` (half
 * the send queue limit) is not restored: the client gets a new session and fetches what it missed
 * over HTTP (GET /api/events, paged), as after any other long absence. Packets kept compact by
 * compactRecoveryBuffer are turned back into their arguments here; those not kept are left out.
 */
export function limitRecoveryReplays(ctx: AppContext, io: IoLike, maxBytes: number): void {
  const adapter = io.of('/').adapter as RestoringAdapter;
  const restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const session = await restore(pid, offset);
    if (!session) return session;
    let bytes = 0;
    const missed: unknown[] = [];
    for (const p of session.missedPackets) {
      if (p === null) continue; // a team position update: superseded, not replayed
      bytes += Array.isArray(p) ? Buffer.byteLength(JSON.stringify(p)) : (p as Buffer | string).length;
      if (maxBytes && bytes > maxBytes) {
        ctx.logger.info(
          { missedPackets: session.missedPackets.length, maxBytes },
          'session not recovered: too much missed to replay over the socket; the client resyncs over HTTP',
        );
        return null;
      }
      missed.push(Array.isArray(p) ? p : argsOf(p as Buffer | string));
    }
    return { ...session, missedPackets: missed };
  };
}

/** A kept frame back to the packet's arguments: the JSON array after the packet's type prefix. */
function argsOf(frame: Buffer | string): unknown[] {
  const text = typeof frame === 'string' ? frame : frame.toString('utf8');
  return JSON.parse(text.slice(text.indexOf('['))) as unknown[];
}

/** A copy in memory of its own (Buffer.from and copyBytesFrom take small ones from the pool too). */
function ownCopy(b: Buffer): Buffer {
  const out = Buffer.allocUnsafeSlow(b.length);
  b.copy(out);
  return out;
}
