// The benchmark's baseline: a minimal node:http server that answers each benchmarked request
// with the exact response bytes (and headers) the leaderboard server gave for it. Its
// throughput is the ceiling for serving those bytes on this machine.
//   node bench/baseline-server.mjs <responses.json>   (prints its port on stdout)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const responses = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const table = new Map(
  responses.map((r) => [`${r.method} ${r.path} ${r.encoding}`, { status: r.status, headers: r.headers, body: Buffer.from(r.body, 'base64') }]),
);

function encodingOf(header = '') {
  if (header.includes('br')) return 'br';
  if (header.includes('gzip')) return 'gzip';
  return 'identity';
}

const server = createServer((req, res) => {
  const path = req.method === 'POST' ? req.url.replace(/\?.*$/, '') : req.url;
  const hit = table.get(`${req.method} ${path} ${encodingOf(req.headers['accept-encoding'])}`) ?? table.get(`${req.method} ${path} identity`);
  req.resume();
  req.on('end', () => {
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(hit.status, hit.headers);
    res.end(hit.body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
