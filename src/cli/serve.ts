/**
 * `stillframe serve`: the GetImages endpoint in Node, over a catalog file, until SIGINT/SIGTERM.
 * Authentication is on unless explicitly turned off: without `--auth keys.json` the command
 * refuses to start unless `--no-auth` says an open endpoint is meant.
 */
import { parseArgs } from 'node:util';
// The package's Node entry: it registers the decode engine (worker threads) and the file opener.
import { closeSharedRunner, KinesisVideoArchivedMedia, loadCatalogFile } from '../index.js';
import { createGetImagesApp } from '../kinesis/http/app.js';
import { loadKeysFile } from '../kinesis/http/keys-file.js';
import { startGetImagesServer } from '../kinesis/http/node-server.js';

/** Usage of `stillframe serve`, printed with `--help` and after a usage error. */
export const SERVE_USAGE = `Usage: stillframe serve --catalog streams.json [options]

Serves Kinesis Video Archived Media GetImages (POST /getImages) for the AWS SDK.

  --catalog FILE                  the streams and their fragments (JSON; sources relative to it)
  --auth FILE                     accepted keys: { "keys": [ { "accessKeyId", "secretAccessKey",
                                  "streams": ["cam-1"] } ] } (["*"] for all streams)
  --no-auth                       serve without authentication (one of --auth, --no-auth is required)
  --host HOST                     interface to listen on (default 127.0.0.1)
  --port PORT                     TCP port, 0 for any free one (default 8080)
  --token-secret SECRET           secret that signs NextTokens, shared by servers that continue each
                                  other's listings (or env STILLFRAME_TOKEN_SECRET; default: random,
                                  so tokens end with the process)
  --region REGION                 accept only signatures for this region (default: any)
  --max-concurrent N              requests decoding at once (default 2)
  --min-sampling-interval-ms MS   smallest SamplingInterval accepted (default 3000)
  -h, --help                      show this help

Prints "listening on http://HOST:PORT" once ready; stops on SIGINT or SIGTERM.`;

/** A mistake in the command line: reported with the usage, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What `stillframe serve` was asked to do. */
export interface ServeArgs {
  readonly help: boolean;
  readonly catalog: string;
  readonly auth: { readonly keysFile: string } | 'none';
  readonly host: string;
  readonly port: number;
  readonly tokenSecret: string | undefined;
  readonly region: string | undefined;
  readonly maxConcurrent: number | undefined;
  readonly minSamplingIntervalMs: number | undefined;
}

/**
 * Reads the arguments after `serve`.
 * @throws UsageError for an unknown option, a missing or malformed value, no catalog, or
 *   neither (or both) of `--auth` and `--no-auth`.
 */
export function parseServeArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ServeArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        catalog: { type: 'string' },
        auth: { type: 'string' },
        // Declared as its own flag: parseArgs learned `--no-` negation only in Node 22.
        'no-auth': { type: 'boolean' },
        host: { type: 'string' },
        port: { type: 'string' },
        'token-secret': { type: 'string' },
        region: { type: 'string' },
        'max-concurrent': { type: 'string' },
        'min-sampling-interval-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const help = values.help === true;
  if (help) {
    return { help, catalog: '', auth: 'none', host: '', port: 0, tokenSecret: undefined, region: undefined, maxConcurrent: undefined, minSamplingIntervalMs: undefined };
  }
  if (!values.catalog) throw new UsageError('--catalog FILE is required');
  if (values.auth !== undefined && values['no-auth']) throw new UsageError('give either --auth FILE or --no-auth, not both');
  if (values.auth === undefined && !values['no-auth']) {
    throw new UsageError('refusing to serve without authentication: give --auth keys.json, or --no-auth to serve anyone who can connect');
  }
  if (values.auth === '') throw new UsageError('--auth needs a keys file');
  const host = values.host ?? '127.0.0.1';
  if (host === '') throw new UsageError('--host must not be empty');
  const tokenSecret = values['token-secret'] ?? env.STILLFRAME_TOKEN_SECRET;
  if (tokenSecret === '') throw new UsageError('the token secret must not be empty');
  return {
    help,
    catalog: values.catalog,
    auth: values.auth !== undefined ? { keysFile: values.auth } : 'none',
    host,
    port: integer('--port', values.port, 0, 65_535) ?? 8080,
    tokenSecret,
    region: values.region,
    maxConcurrent: integer('--max-concurrent', values['max-concurrent'], 1, 1024),
    minSamplingIntervalMs: integer('--min-sampling-interval-ms', values['min-sampling-interval-ms'], 1, 2 ** 31 - 1),
  };
}

function integer(option: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${option} must be an integer from ${min} to ${max}, got '${text}'`);
  return value;
}

/** Where the command writes, and what stops it (replaceable for tests). */
export interface ServeIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the server should stop. Default: the first SIGINT or SIGTERM. */
  readonly stopSignal?: () => Promise<unknown>;
}

/**
 * Runs `stillframe serve` with the arguments after `serve`; resolves with the exit status once
 * the server has stopped (0), or could not start (1; 2 for a usage error).
 */
export async function serveCommand(
  argv: readonly string[],
  io: ServeIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`stillframe serve: ${error.message}\n\n${SERVE_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }

  // Listening for the signals before anything slow, so none is missed while starting up.
  const stop = (io.stopSignal ?? stopOnSignal)();
  let kvam: KinesisVideoArchivedMedia | undefined;
  let server;
  try {
    const auth = args.auth === 'none' ? 'none' : await loadKeysFile(args.auth.keysFile);
    kvam = new KinesisVideoArchivedMedia({
      catalog: await loadCatalogFile(args.catalog),
      tokenSecret: args.tokenSecret,
      minSamplingIntervalMs: args.minSamplingIntervalMs,
    });
    const app = createGetImagesApp({ kvam, auth, maxConcurrent: args.maxConcurrent, region: args.region });
    server = await startGetImagesServer(app, { host: args.host, port: args.port });
  } catch (error) {
    io.stderr.write(`stillframe serve: ${error instanceof Error ? error.message : String(error)}\n`);
    await kvam?.close();
    await closeSharedRunner();
    return 1;
  }
  if (args.auth === 'none' && !isLoopback(args.host)) {
    io.stderr.write(`stillframe serve: warning: serving ${args.host} without authentication\n`);
  }
  io.stdout.write(`listening on ${server.url}\n`);

  await stop;
  await server.close();
  await kvam.close();
  // The engine's worker threads would keep the process alive.
  await closeSharedRunner();
  return 0;
}

/** How long shutting down may take before the process ends regardless. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Resolves on the first SIGINT or SIGTERM. Later signals are ignored: launchers (npm, tsx) relay
 * the terminal's Ctrl-C to a child that got it already, so a second signal is no sign of
 * impatience. A deadline ends the process instead, should closing ever hang.
 */
function stopOnSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.on('SIGINT', () => {});
      process.on('SIGTERM', () => {});
      setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}
