/**
 * A minimal static file server over the repository root, for Chromium tests and browser benchmarks.
 * Pages under test/pages/ import the built package from /dist/, the demo lives at /dist-demo/.
 */
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

const ROOT = resolve(import.meta.dirname, '..', '..');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.wgsl': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `root` on 127.0.0.1 at a free port. `headers` are added to every response (a test page can ask for a
 * Content-Security-Policy by query: `?csp=<policy>` sets that header on an HTML response).
 */
export async function startStaticServer(root = ROOT): Promise<StaticServer> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Test routes for hostile servers: one that never answers, one that stops mid-body, a redirect to the other
    // origin (127.0.0.1 instead of localhost) that does not allow CORS.
    if (url.pathname === '/__stall/headers') return;
    if (url.pathname === '/__stall/body') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': '100000', 'cache-control': 'no-store' });
      res.write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      return;
    }
    if (url.pathname === '/__redirect-cross-origin') {
      const { port } = server.address() as AddressInfo;
      res.writeHead(302, { location: `http://127.0.0.1:${port}${url.searchParams.get('to') ?? '/'}` }).end();
      return;
    }
    let path = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    let file = join(root, path);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-store' };
    const csp = url.searchParams.get('csp');
    if (csp && type.startsWith('text/html')) headers['content-security-policy'] = csp;
    if (url.searchParams.has('cors')) headers['access-control-allow-origin'] = '*';
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
    path = '';
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    // "localhost" is a secure context, so navigator.gpu exists there.
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        // Stalled test requests would hold the server open.
        for (const socket of sockets) socket.destroy();
      }),
  };
}
