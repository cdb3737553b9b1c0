// A Socket.IO packet decoder for benchmark clients: speaks the default protocol, but hands a
// `case:events` packet over as its raw JSON text instead of parsing it. Five hundred dashboards normally run
// on five hundred machines; here they share two cores with the server they measure, and parsing
// 2 KB of JSON 400 times a second in each would measure the clients, not the server. Everything
// else (handshake, hello, acks) goes through the stock decoder.
import { Decoder, Encoder, PacketType } from 'socket.io-parser';

const PREFIX = '2["case:events",';

class RawCaseEventDecoder extends Decoder {
  override add(obj: unknown): void {
    if (typeof obj === 'string' && obj.startsWith(PREFIX)) {
      // With connection state recovery the server appends the packet's offset as the last
      // argument; the client keeps it to resume. Split it off so recovery keeps working.
      const body = obj.slice(PREFIX.length, -1);
      const data: unknown[] = ['case:events'];
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

/** The seqs of a raw `case:events` array (or events page): `"seq":` occurs once per event and
 * nowhere else (neither the payload nor the case has one). */
export function seqsOfRaw(raw: string): number[] {
  const seqs: number[] = [];
  for (let i = raw.indexOf('"seq":'); i >= 0; i = raw.indexOf('"seq":', i + 6))
    seqs.push(parseInt(raw.slice(i + 6, i + 24), 10));
  return seqs;
}
