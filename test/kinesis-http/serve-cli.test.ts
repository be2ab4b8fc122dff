/**
 * `stillframe serve` as a user runs it: a child process (`npx tsx src/cli/main.ts serve …`)
 * that refuses to start without an authentication choice, prints `listening on http://…` once
 * ready, answers the AWS SDK, and stops cleanly on SIGTERM. Plus, in-process: the argument
 * rules, and that each flag reaches the server it starts.
 */
import {
  ClientLimitExceededException,
  GetImagesCommand,
  InvalidArgumentException,
  NotAuthorizedException,
  type GetImagesCommandInput,
} from '@aws-sdk/client-kinesis-video-archived-media';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeArgs, serveCommand, UsageError } from '../../src/cli/serve.js';
import { fixture } from '../helpers/fixtures.js';
import { startServer } from '../helpers/http-server.js';
import { requireNativeTool } from '../helpers/native.js';
import { gate, KEYS, rejectionOf, sdkClient } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const START = Date.parse('2026-11-21T10:00:00Z');

/** A process started by a test, and what it printed. */
interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `command` in its own process group (so the test can stop npm, tsx and node together). */
function run(command: string, args: readonly string[]): Run {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** `stillframe serve …` through npx, as the users would run it from the repository. */
const serve = (...args: string[]) => run('npx', ['tsx', 'src/cli/main.ts', 'serve', ...args]);

/** Resolves with the URL once the process prints its ready line; fails if it exits or takes over `ms`. */
async function listening(process: Run, ms = 60_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(process.stdout());
    if (match) return match[1]!;
    const exited = await Promise.race([process.exited, new Promise((resolve) => setTimeout(() => resolve(undefined), 50))]);
    if (exited) throw new Error(`serve exited before listening: ${JSON.stringify(exited)}\n${process.stderr()}`);
  }
  throw new Error(`serve did not print its ready line within ${ms} ms:\n${process.stdout()}\n${process.stderr()}`);
}

/** How the launched process ended, waiting at most 30 s. */
function ended(process: Run): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('serve did not end within 30 s')), 30_000));
  return Promise.race([process.exited, timeout]);
}

/**
 * True while a process of the group led by `pid` is still running. Read from /proc so that
 * zombies (which hold no port) do not count where nothing reaps orphans.
 */
function groupAlive(pid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // Ended while we looked.
    }
    // Fields after "(comm)": state, ppid, pgrp.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pid && state !== 'Z') return true;
  }
  return false;
}

/**
 * Signals the whole process group (npm, tsx and node alike) and waits until every member has
 * ended: the launcher (npx) may exit before the server it started has closed its port.
 */
async function stop(process: Run, signal: NodeJS.Signals = 'SIGTERM') {
  const pid = process.child.pid!;
  try {
    globalThis.process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
  const end = await ended(process);
  const deadline = Date.now() + 30_000;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process group ${pid} still alive 30 s after ${signal}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return end;
}

/** True when something accepts connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stillframe-serve-'));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ keys: [KEYS.all, KEYS.cam1] }));
  writeFileSync(join(dir, 'bad-keys.json'), JSON.stringify({ keys: [{ accessKeyId: 'AKID', streams: ['*'] }] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stillframe serve: arguments', () => {
  it('requires a catalog and a stated authentication choice', () => {
    expect(() => parseServeArgs(['--catalog', 'c.json'])).toThrow(/refusing to serve without authentication/);
    expect(() => parseServeArgs(['--no-auth'])).toThrow(/--catalog FILE is required/);
    expect(() => parseServeArgs(['--catalog', 'c.json', '--auth', 'k.json', '--no-auth'])).toThrow(/not both/);
    expect(parseServeArgs(['--catalog', 'c.json', '--auth', 'k.json'])).toMatchObject({
      catalog: 'c.json',
      auth: { keysFile: 'k.json' },
      host: '127.0.0.1',
      port: 8080,
      tokenSecret: undefined,
    });
    expect(parseServeArgs(['--catalog=c.json', '--no-auth', '--port', '0', '--host', '::1'])).toMatchObject({ auth: 'none', port: 0, host: '::1' });
  });

  it('refuses malformed values and unknown options, as usage errors', () => {
    const base = ['--catalog', 'c.json', '--no-auth'];
    for (const extra of [['--port', '65536'], ['--port', '-1'], ['--port', '80x'], ['--max-concurrent', '0'], ['--min-sampling-interval-ms', '1.5'], ['--verbose'], ['extra'], ['--port']]) {
      expect(() => parseServeArgs([...base, ...extra]), extra.join(' ')).toThrow(UsageError);
    }
  });

  it('takes the token secret from the flag, else from STILLFRAME_TOKEN_SECRET', () => {
    const env = { STILLFRAME_TOKEN_SECRET: 'from-env' };
    expect(parseServeArgs(['--catalog', 'c', '--no-auth'], env).tokenSecret).toBe('from-env');
    expect(parseServeArgs(['--catalog', 'c', '--no-auth', '--token-secret', 'flag'], env).tokenSecret).toBe('flag');
    expect(() => parseServeArgs(['--catalog', 'c', '--no-auth', '--token-secret', ''])).toThrow(UsageError);
  });
});

describe('stillframe serve: the process', () => {
  it('refuses to start without --auth or --no-auth, with exit status 2 and the usage', async () => {
    const refused = serve('--catalog', join(dir, 'streams.json'));
    const { code } = await ended(refused);
    expect(code).toBe(2);
    expect(refused.stdout()).toBe('');
    expect(refused.stderr()).toMatch(/refusing to serve without authentication/);
    expect(refused.stderr()).toMatch(/Usage: stillframe serve/);
  });

  it('fails with status 1 and a message for an unusable keys or catalog file', async () => {
    writeFileSync(join(dir, 'empty-catalog.json'), JSON.stringify({ streams: [] }));
    const badKeys = serve('--catalog', join(dir, 'empty-catalog.json'), '--auth', join(dir, 'bad-keys.json'), '--port', '0');
    expect((await ended(badKeys)).code).toBe(1);
    expect(badKeys.stderr()).toMatch(/keys\[0\]\.secretAccessKey/);
    const noCatalog = serve('--catalog', join(dir, 'missing.json'), '--no-auth', '--port', '0');
    expect((await ended(noCatalog)).code).toBe(1);
    expect(noCatalog.stderr()).toMatch(/cannot read the catalog file/);
  });

  it.skipIf(!requireNativeTool('ffmpeg'))(
    'prints "listening on http://HOST:PORT" with the real port, serves the SDK, and stops on SIGTERM',
    async () => {
      // A catalog file with its media beside it, named relative to it, as the issue shows.
      mkdirSync(join(dir, 'cam-1'), { recursive: true });
      copyFileSync(fixture('h264-no-bframes.mp4'), join(dir, 'cam-1', '000.mp4'));
      writeFileSync(
        join(dir, 'streams.json'),
        JSON.stringify({
          streams: [
            { name: 'cam-1', fragments: [{ source: 'cam-1/000.mp4', producerStartTime: '2026-11-21T10:00:00Z' }] },
            { name: 'cam-2', fragments: [{ source: 'cam-1/000.mp4', producerStartTime: '2026-11-21T10:00:00Z' }] },
          ],
        }),
      );
      const server = serve('--catalog', join(dir, 'streams.json'), '--auth', join(dir, 'keys.json'), '--port', '0', '--min-sampling-interval-ms', '500');
      try {
        const url = await listening(server);
        expect(server.stdout()).toBe(`listening on ${url}\n`);
        const port = Number(new URL(url).port);
        expect(port).toBeGreaterThan(0);

        const input = {
          StreamName: 'cam-1',
          ImageSelectorType: 'PRODUCER_TIMESTAMP',
          StartTimestamp: new Date(START),
          EndTimestamp: new Date(START + 1000),
          SamplingInterval: 500,
          Format: 'JPEG',
          HeightPixels: 60,
        } as const;
        const out = await sdkClient({ url }).send(new GetImagesCommand(input));
        expect(out.Images?.map((i) => [i.TimeStamp?.getTime(), i.Error, Buffer.from(i.ImageContent ?? '', 'base64').subarray(0, 2).toString('hex')])).toEqual([
          [START, undefined, 'ffd8'],
          [START + 500, undefined, 'ffd8'],
          [START + 1000, undefined, 'ffd8'],
        ]);
        const denied = await rejectionOf(sdkClient({ url }, KEYS.cam1).send(new GetImagesCommand({ ...input, StreamName: 'cam-2' })));
        expect(denied).toBeInstanceOf(NotAuthorizedException);

        const ended = await stop(server);
        expect(ended.signal === 'SIGTERM' || ended.code === 0, JSON.stringify(ended)).toBe(true);
        expect(await accepts(port)).toBe(false);
      } finally {
        await stop(server, 'SIGKILL').catch(() => {});
      }
    },
  );

  it('exits with status 0 once stopped by SIGTERM or SIGINT', async () => {
    writeFileSync(join(dir, 'empty-catalog.json'), JSON.stringify({ streams: [] }));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      // Node itself with the tsx loader, so the status is the server's own, not a launcher's.
      const server = run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--catalog', join(dir, 'empty-catalog.json'), '--no-auth', '--port', '0']);
      try {
        const url = await listening(server);
        expect((await fetch(new URL('/nothing', url))).status).toBe(404);
        expect(await stop(server, signal), signal).toEqual({ code: 0, signal: null });
        expect(await accepts(Number(new URL(url).port))).toBe(false);
      } finally {
        await stop(server, 'SIGKILL').catch(() => {});
      }
    }
  });
});

/** `stillframe serve` run in this process: what it printed, and how to stop it. */
interface InProcessServe {
  readonly url: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Stops the server; resolves with the command's exit status. */
  stop(): Promise<number>;
}

/** Runs `serveCommand(args)` here (no STILLFRAME_TOKEN_SECRET) and resolves once it prints its ready line. */
async function serveHere(...args: string[]): Promise<InProcessServe> {
  let stdout = '';
  let stderr = '';
  const stopGate = gate();
  const status = serveCommand(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    stopSignal: () => stopGate.promise,
  });
  let exited: number | undefined;
  void status.then((code) => (exited = code));
  for (;;) {
    const match = /^listening on (\S+)\n$/.exec(stdout);
    if (match) return { url: match[1]!, stdout: () => stdout, stderr: () => stderr, stop: () => (stopGate.open(), status) };
    if (exited !== undefined) throw new Error(`serve exited with ${exited} before listening:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('stillframe serve: the flags reach the server', () => {
  /** Three sampling points of cam-1, one per page: every page is NO_MEDIA (the stream has no fragments). */
  const listing: GetImagesCommandInput = {
    StreamName: 'cam-1',
    ImageSelectorType: 'PRODUCER_TIMESTAMP',
    StartTimestamp: new Date(START),
    EndTimestamp: new Date(START + 6000),
    SamplingInterval: 3000,
    Format: 'JPEG',
    MaxResults: 1,
  };
  let catalog: string;
  beforeAll(() => {
    catalog = join(dir, 'no-fragments.json');
    writeFileSync(catalog, JSON.stringify({ streams: [{ name: 'cam-1', fragments: [] }] }));
  });

  it('--token-secret: a listing begun on one server continues on another with the same secret, and not on one without it', async () => {
    const first = await serveHere('--catalog', catalog, '--no-auth', '--port', '0', '--token-secret', 'shared-secret');
    const second = await serveHere('--catalog', catalog, '--no-auth', '--port', '0', '--token-secret', 'shared-secret');
    const other = await serveHere('--catalog', catalog, '--no-auth', '--port', '0');
    try {
      const page1 = await sdkClient(first).send(new GetImagesCommand(listing));
      expect(page1.NextToken).toBeDefined();
      const page2 = await sdkClient(second).send(new GetImagesCommand({ ...listing, NextToken: page1.NextToken }));
      expect(page2.Images?.map((image) => image.TimeStamp?.getTime())).toEqual([START + 3000]);
      const refused = await rejectionOf(sdkClient(other).send(new GetImagesCommand({ ...listing, NextToken: page1.NextToken })));
      expect(refused).toBeInstanceOf(InvalidArgumentException);
    } finally {
      expect(await Promise.all([first.stop(), second.stop(), other.stop()])).toEqual([0, 0, 0]);
    }
  });

  it('--host: listens on that interface, and says so in the ready line', async () => {
    const server = await serveHere('--catalog', catalog, '--no-auth', '--port', '0', '--host', '127.0.0.2');
    try {
      const port = Number(new URL(server.url).port);
      expect(server.stdout()).toBe(`listening on http://127.0.0.2:${port}\n`);
      expect((await fetch(new URL('/nothing', server.url))).status).toBe(404);
      expect(await accepts(port)).toBe(false);
      // A loopback address: no warning about serving without authentication.
      expect(server.stderr()).toBe('');
    } finally {
      await server.stop();
    }
  });

  it('--region: accepts only signatures for that region', async () => {
    const server = await serveHere('--catalog', catalog, '--auth', join(dir, 'keys.json'), '--port', '0', '--region', 'eu-west-1');
    try {
      const out = await sdkClient(server, KEYS.all, { region: 'eu-west-1' }).send(new GetImagesCommand({ ...listing, MaxResults: 3 }));
      expect(out.Images?.map((image) => image.Error)).toEqual(['NO_MEDIA', 'NO_MEDIA', 'NO_MEDIA']);
      expect(await rejectionOf(sdkClient(server, KEYS.all, { region: 'us-east-1' }).send(new GetImagesCommand(listing)))).toBeInstanceOf(NotAuthorizedException);
    } finally {
      await server.stop();
    }
  });

  it('--max-concurrent: with 1, a request arriving while another decodes is turned away with ClientLimitExceededException', async () => {
    // The fragment's server answers the size probe, then never sends media: the first request
    // holds the only slot until that server goes away.
    const stalled = await startServer({ body: new Uint8Array(1024), mode: 'stall-after-probe' });
    writeFileSync(join(dir, 'stalled.json'), JSON.stringify({ streams: [{ name: 'cam-1', fragments: [{ source: stalled.url, producerStartTime: new Date(START).toISOString() }] }] }));
    const server = await serveHere('--catalog', join(dir, 'stalled.json'), '--no-auth', '--port', '0', '--max-concurrent', '1');
    try {
      const first = sdkClient(server).send(new GetImagesCommand({ ...listing, MaxResults: 3 }));
      while (!stalled.requests.some((request) => request.headers.range !== 'bytes=0-0')) await new Promise((resolve) => setTimeout(resolve, 10));
      const second = await rejectionOf(sdkClient(server).send(new GetImagesCommand(listing)));
      expect(second).toBeInstanceOf(ClientLimitExceededException);
      await stalled.close();
      // The first request ends once its fragment's server is gone: that fragment cannot give images.
      expect((await first).Images?.map((image) => image.Error)).toEqual(['MEDIA_ERROR', 'MEDIA_ERROR', 'MEDIA_ERROR']);
    } finally {
      await stalled.close().catch(() => {});
      await server.stop();
    }
  });
});
