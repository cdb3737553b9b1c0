// The floor of the realtime benchmark: a bare Socket.IO server on its own process that re-emits
// whatever is posted to it. No auth, no database, no routing: what is left is the cost of taking a
// POST and fanning its events out to the rooms, which no server of ours can beat.
//   POST /emit {rooms: string[], events: object[]} → the events emitted as one `case:events` packet
//   to the rooms (our server sends the events committed together as one packet)
// A client names its rooms in the handshake (`auth: {rooms}`) and is greeted with `hello`, as ours.
import http from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);
const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/emit') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const { rooms, events } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      rooms: string[];
      events: unknown[];
    };
    io.to(rooms).emit('case:events', events);
    res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  });
});
const io = new Server(server, { serveClient: false });
io.on('connection', (socket) => {
  const rooms = (socket.handshake.auth as { rooms?: string[] }).rooms ?? [];
  void socket.join(rooms);
  socket.emit('hello', { rooms });
});
server.listen(port, '127.0.0.1', () => {
  const bound = (server.address() as import('node:net').AddressInfo).port;
  console.log(`floor listening on http://127.0.0.1:${bound}`);
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
