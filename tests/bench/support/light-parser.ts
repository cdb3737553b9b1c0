// A Socket.IO packet decoder for benchmark clients: speaks the default protocol, but hands a
// `case:event` over as its raw JSON text instead of parsing it. Five hundred dashboards normally run
// on five hundred machines; here they share two cores with the server they measure, and parsing
// 2 KB of JSON 400 times a second in each would measure the clients, not the server. Everything
// else (handshake, hello, acks) goes through the stock decoder.
import { Decoder, Encoder, PacketType } from 'socket.io-parser';

const PREFIX = '2["case:event",';

class RawCaseEventDecoder extends Decoder {
  override add(obj: unknown): void {
    if (typeof obj === 'string' && obj.startsWith(PREFIX)) {
      // With connection state recovery the server appends the packet's offset as the last
      // argument; the client keeps it to resume. Split it off so recovery keeps working.
      const body = obj.slice(PREFIX.length, -1);
      const data: unknown[] = ['case:event'];
      if (body.endsWith('"')) {
        const cut = body.lastIndexOf(',"');
        data.push(body.slice(0, cut), JSON.parse(body.slice(cut + 1)) as string);
      } else data.push(body);
      this.emitReserved('decoded', { type: PacketType.EVENT, nsp: '/', data });
      return;
    }
    super.add(obj);
  }
}

export const rawCaseEventParser = { Encoder, Decoder: RawCaseEventDecoder };

/** The `seq` of a raw case:event: the only "seq" key in it (neither the payload nor the case has one). */
export function seqOfRaw(raw: string): number {
  const i = raw.indexOf('"seq":');
  if (i < 0) return NaN;
  return parseInt(raw.slice(i + 6, i + 24), 10);
}
