/**
 * Node only: serves a GetImages app on a TCP port with `@hono/node-server`, for the
 * `stillframe serve` CLI, the tests and the examples. Other runtimes serve the same app with
 * their own `fetch` servers (`Deno.serve(app.fetch)`, an edge worker's `export default app`).
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';

/** Where to listen. */
export interface ListenOptions {
  /** Interface to bind. Default `127.0.0.1`: only this machine, until told otherwise. */
  readonly host?: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  readonly port?: number;
}

/** A running server. */
export interface GetImagesServer {
  /** `http://host:port`, with the port actually bound: the SDK client's `endpoint`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections, ends open ones (requests in flight are cut off) and resolves once closed. */
  close(): Promise<void>;
}

/**
 * Listens with `app` and resolves once the port is bound.
 * @throws the listen error (`EADDRINUSE`, `EACCES`, …) when the port cannot be bound.
 */
export function startGetImagesServer(app: Hono, { host = '127.0.0.1', port = 8080 }: ListenOptions = {}): Promise<GetImagesServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      server.off('error', reject);
      resolve({
        url: `http://${urlHost(host)}:${info.port}`,
        host,
        port: info.port,
        close: () => closeServer(server),
      });
    }) as Server;
    server.once('error', reject);
  });
}

/** The host as it goes in a URL: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections (every SDK client keeps some) would hold close() open otherwise.
    server.closeAllConnections();
  });
}
