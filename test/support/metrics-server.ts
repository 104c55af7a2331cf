import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';

/** Serves a service's registry at http://127.0.0.1:<port>/metrics, as its MetricsController would. */
export async function serveMetrics(
  registry: Registry,
): Promise<{ target: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    registry.metrics().then(
      (text) => {
        response.setHeader('Content-Type', registry.contentType);
        response.end(text);
      },
      (error: Error) => {
        response.statusCode = 500;
        response.end(error.message);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
