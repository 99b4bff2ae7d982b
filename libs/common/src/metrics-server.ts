import http from 'node:http';
import type { Registry } from 'prom-client';

/**
 * Serves GET /metrics (Prometheus text from `registry`) and GET /healthz (200 when `isReady()`,
 * else 503) on a service's admin port; every service has one (ARCHITECTURE.md, Ports).
 * `beforeScrape` refreshes gauges that are read on demand.
 */
export function startMetricsServer(
  host: string,
  port: number,
  registry: Registry,
  isReady: () => boolean,
  beforeScrape: () => void = () => undefined,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && url === '/metrics') {
      beforeScrape();
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics collection failed: ${err.message}\n`);
        },
      );
      return;
    }
    if (req.method === 'GET' && url === '/healthz') {
      const ready = isReady();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ready ? 'ok' : 'not ready' }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url}; try GET /metrics or GET /healthz` } }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
