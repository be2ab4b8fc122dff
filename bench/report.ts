/**
 * Writes the results: `results.json` (everything, raw runs included) and `RESULTS.md` (the table,
 * each job's description and caveats, the machine). Rendering is kept apart from measuring so a
 * results file can be re-rendered without re-running anything.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './media.js';
import { displayVersion } from './native.js';
import type { BenchResults, Cell, JobResult, Row, Unit } from './results.js';

/** Facts about the machine and the sources measured, for the results' header. */
export function machineInfo(): Record<string, unknown> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    node: process.version,
    ffmpeg: displayVersion('ffmpeg'),
    commit: git(['rev-parse', '--short', 'HEAD']),
    // The library changes under the benchmark's feet: say whether src/ had uncommitted edits.
    uncommittedSourceFiles: git(['status', '--porcelain', '--', 'src', 'wasm']).split('\n').filter(Boolean).length,
  };
}

/** A number in its unit, for people. */
export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
    case 'MB':
      return `${value.toFixed(0)} MB`;
    case 'bytes':
      return value >= 1e6 ? `${(value / 1e6).toFixed(2)} MB` : `${(value / 1e3).toFixed(1)} kB`;
    case 'images':
      return String(Math.round(value));
    case 'ratio':
      return value.toFixed(2);
  }
}

const escape = (text: string) => text.replaceAll('|', '\\|');

function formatCell(c: Cell, unit: Unit): string {
  if (c.value === null) return escape(c.note ?? '—');
  return c.note ? `${formatValue(c.value, unit)}<br><sub>${escape(c.note)}</sub>` : formatValue(c.value, unit);
}

const formatRatio = (r: number | null) => (r === null ? '—' : `${r.toFixed(2)}×`);

/** The row's name, with the contestant outside the columns (if any) and ours ÷ its number. */
function formatWhat(row: Row): string {
  if (!row.versus) return escape(row.what);
  const { name, cell, ratio } = row.versus;
  const theirs = cell.value === null ? escape(cell.note ?? '—') : `**${formatValue(cell.value, row.unit)}**${cell.note ? ` (${escape(cell.note)})` : ''}`;
  return `${escape(row.what)}<br><sub>${escape(name)}: ${theirs}${ratio === null ? '' : ` · ours/${escape(name)} **${formatRatio(ratio)}**`}</sub>`;
}

function formatMet(row: Row, job: JobResult): string {
  if (job.status === 'not-measured') return 'not measured yet';
  if (row.met === null) return row.target ? '—' : '';
  return row.met ? '**yes**' : '**no**';
}

/** The Markdown table: one line per row, the job named on its first row. */
export function renderTable(jobs: readonly JobResult[]): string {
  const lines = [
    '| Job | What | stillframe | native ffmpeg | naive wasm | ours/native | ours/naive | Target | Met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const job of jobs) {
    if (job.id === 'breakdown') continue;
    const name = `${job.id.replace('job', '')}. ${job.title}`;
    if (job.rows.length === 0) {
      lines.push(`| ${name} | ${escape(job.description)} | | | | | | | |`);
      continue;
    }
    job.rows.forEach((row, i) => {
      lines.push(
        `| ${i === 0 ? name : ''} | ${formatWhat(row)} | ${formatCell(row.stillframe, row.unit)} | ${formatCell(row.native, row.unit)} | ` +
          `${formatCell(row.naive, row.unit)} | ${formatRatio(row.ratioNative)} | ${formatRatio(row.ratioNaive)} | ${escape(row.target)} | ${formatMet(row, job)} |`,
      );
    });
  }
  return lines.join('\n');
}

/** The whole RESULTS.md. */
export function renderMarkdown(results: BenchResults): string {
  const meta = results.meta as {
    date: string;
    mode: string;
    runs: number;
    durationS: number;
    machine: Record<string, unknown>;
    media: Record<string, unknown>;
    baselines: Record<string, number>;
    loadAverage: { start: number; end: number; mean: number; max: number };
  };
  const m = meta.machine;
  const load = meta.loadAverage;
  // The benchmark itself keeps one or two cores busy; more than that is someone else's work.
  const busy = load.mean > Number(m.cores);
  const sections = results.jobs
    .filter((job) => job.status !== 'not-run')
    .map((job) =>
      [`### ${job.id === 'breakdown' ? '' : `${job.id.replace('job', 'Job ')}: `}${job.title}`, '', job.description, ...(job.notes.length ? ['', ...job.notes.map((n) => `- ${n}`)] : [])].join('\n'),
    );
  return [
    '# Benchmark results',
    '',
    `${meta.date} · ${meta.mode} mode · median of ${meta.runs} run(s) · whole run ${meta.durationS.toFixed(0)} s · ` +
      `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Linux ${m.kernel} · Node ${m.node} · ${m.ffmpeg} · ` +
      `stillframe at ${m.commit}${m.uncommittedSourceFiles ? ` with ${m.uncommittedSourceFiles} uncommitted file(s) in src/ and wasm/` : ''}`,
    '',
    ...(busy ? [`> **Warning:** other work was competing for the CPU during this run (load average ${load.mean.toFixed(1)} mean, ${load.max.toFixed(1)} max, on ${m.cores} cores): the numbers are slower and noisier than on a quiet machine.`, ''] : []),
    'Made by `npm run bench` (`tsx bench/run.ts`); the numbers are in `results.json` beside this file. Ratios are ours ÷ peer: below 1 means stillframe is faster (or smaller). Times are medians over runs; each contestant runs in a fresh child process per run, so its peak RSS is its own.',
    '',
    renderTable(results.jobs),
    '',
    '## Jobs',
    '',
    sections.join('\n\n'),
    '',
    '## Method',
    '',
    `- Media (generated, cached in \`.cache/bench/\` by a hash of the recipe, never committed): ${String(meta.media.clip)}`,
    `- Peak RSS is \`process.resourceUsage().maxRSS\` at the end of the child (worker threads included), or GNU time's for native ffmpeg processes. A bare child costs ${meta.baselines.plainNodeMB?.toFixed(0)} MB under plain node and ${meta.baselines.tsxNodeMB?.toFixed(0)} MB under the tsx loader, which the TypeScript children (jobs 1–3; naive wasm in job 4) carry; jobs 4 and 5 run stillframe's built package with plain node.`,
    `- Load average (1 min) during the run: mean ${load.mean.toFixed(1)}, max ${load.max.toFixed(1)} (start ${load.start.toFixed(1)}, end ${load.end.toFixed(1)}) on ${m.cores} cores; the benchmark itself accounts for about 1–2.${busy ? ' **Other work was competing for the CPU: every number here is slower and noisier than on a quiet machine.**' : ''}`,
    '- The page cache is warm: every file was just made or read; each contestant reads the same file.',
    '- Native ffmpeg timings include one extra fork/exec of GNU time per process (~1 ms), used for its RSS.',
    '',
  ].join('\n');
}

/** Writes results.json and RESULTS.md into `dir`. */
export function writeResults(dir: string, results: BenchResults): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'results.json');
  const markdown = join(dir, 'RESULTS.md');
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(results));
  return { json, markdown };
}
