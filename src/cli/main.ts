#!/usr/bin/env node
/**
 * The `stillframe` command: dispatches to its subcommands (`serve` for now). Exit status 0 on
 * success, 1 when a command fails, 2 for a usage error.
 */
import { serveCommand } from './serve.js';

/** Usage of `stillframe` itself. */
export const MAIN_USAGE = `Usage: stillframe <command> [options]

Commands:
  serve   serve Kinesis Video Archived Media GetImages over HTTP for the AWS SDK

Run "stillframe <command> --help" for a command's options.`;

/** Runs the command line `argv` (the arguments after the program) and resolves with the exit status. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(rest);
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(`${MAIN_USAGE}\n`);
      return 0;
    case undefined:
      process.stderr.write(`${MAIN_USAGE}\n`);
      return 2;
    default:
      process.stderr.write(`stillframe: unknown command '${command}'\n\n${MAIN_USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`stillframe: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
