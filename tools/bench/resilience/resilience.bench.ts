// `npm run bench -- resilience` (or directly:
// `node --conditions=@ecrkit/source --import tsx --expose-gc tools/bench/resilience/resilience.bench.ts [--quick] [--verbose]`;
// with BENCH_INSTRUCTIONS=1 it also counts instructions per call under valgrind, unmoved by
// machine load but slow: minutes on a quiet machine).
// Per-call overhead of the default pipeline (as `createClient(config)` assembles it: the client's
// guard, instrumentation through the no-op global OpenTelemetry API, breaker, retry, rate
// limiter, bulkhead, per-attempt timeout; see setup.ts) over the bare in-process simulation
// transport at 50 concurrent callers when nothing fails: DescribeImages on a repository of 20
// images. Target: at most 5%, as the median of paired rounds. Each variant runs in a process of
// its own (variant.ts), as in an application, and the rounds alternate between them. Each round
// is measured in wall time and in CPU time of its process (user + system): on a shared machine
// the wall clock also counts other jobs' time slices, CPU time much less so.
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Options of {@link run}. */
export interface ResilienceBenchOptions {
  /** Calls per measured round; default 5,000. */
  calls?: number;
  /** Measured rounds per variant (alternating, so load from elsewhere hits both alike; median taken); default 41. */
  rounds?: number;
  /** Concurrent callers; default 50. */
  concurrency?: number;
  /** Count instructions per call under valgrind too (slow). */
  instructions?: boolean;
  /** Print every round. */
  verbose?: boolean;
  log?: (line: string) => void;
}

/** Per-call cost of one round: wall time and CPU time, microseconds. */
interface Round {
  wallUs: number;
  cpuUs: number;
}

/** What was measured. */
export interface ResilienceBenchResult {
  /** Median per-call wall time, microseconds. */
  bareUs: number;
  pipelineUs: number;
  /** Median over rounds of pipeline / bare - 1 in wall time, e.g. 0.04 for 4%. */
  overhead: number;
  /** The same in CPU time. */
  cpuOverhead: number;
  /** Fastest pipeline round over fastest bare round - 1: less sensitive to other load on the machine. */
  overheadOfBest: number;
  /** What the pipeline itself costs per call over a transport that answers at once, CPU microseconds. */
  stackUs: number;
  /** Instructions per call under valgrind, when asked for. */
  instructions?: { bare: number; pipeline: number; overhead: number };
  /** Per-round wall-time overheads, for spread. */
  roundOverheads: number[];
  table: string;
}

/** A variant in a process of its own (variant.ts), driven round by round. */
interface Variant {
  round(calls: number, concurrency: number): Promise<Round>;
  close(): Promise<void>;
}

async function startVariant(name: 'bare' | 'pipeline' | 'instant' | 'instant-pipeline'): Promise<Variant> {
  const child: ChildProcess = fork(join(here, 'variant.ts'), [name], {
    execArgv: ['--conditions=@ecrkit/source', '--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`variant ${name} exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  await next();
  return {
    async round(calls, concurrency) {
      const answer = next();
      child.send({ calls, concurrency });
      return (await answer) as Round;
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('exit');
      await exited;
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Instructions the process executes under callgrind for `calls` DescribeImages at c=50 (count.ts). */
function countInstructions(variant: 'bare' | 'pipeline', calls: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = [
      '--tool=callgrind',
      '--smc-check=all-non-file',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      // No background compiler or GC threads: their work would land in either count at random.
      '--single-threaded',
      '--conditions=@ecrkit/source',
      '--import',
      'tsx',
      join(here, 'count.ts'),
      variant,
      String(calls),
    ];
    const child = spawn('valgrind', args, { cwd: here, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      if (code === 0 && collected) resolve(Number(collected[1]));
      else reject(new Error(`valgrind ${variant} exited with ${code}: ${stderr.slice(-1000)}`));
    });
  });
}

/** Per-call instructions: the difference between 12,000 and 2,000 calls, so start-up cancels out. */
async function instructionsPerCall(): Promise<{ bare: number; pipeline: number; overhead: number }> {
  const perCall = async (variant: 'bare' | 'pipeline') => ((await countInstructions(variant, 12_000)) - (await countInstructions(variant, 2_000))) / 10_000;
  const bare = await perCall('bare');
  const pipeline = await perCall('pipeline');
  return { bare, pipeline, overhead: pipeline / bare - 1 };
}

/** Run the benchmark and return its numbers (also printed through `log`). */
export async function run(options: ResilienceBenchOptions = {}): Promise<ResilienceBenchResult> {
  const calls = options.calls ?? 5_000;
  const rounds = options.rounds ?? 41;
  const concurrency = options.concurrency ?? 50;
  const log = options.log ?? ((line: string) => console.log(line));

  const [bare, pipeline] = await Promise.all([startVariant('bare'), startVariant('pipeline')]);

  // Warm both paths up before measuring (the JIT optimises a path after some thousands of calls).
  for (let i = 0; i < 3; i++) {
    await bare.round(calls, concurrency);
    await pipeline.round(calls, concurrency);
  }

  const bareRounds: Round[] = [];
  const pipelineRounds: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    const b = await bare.round(calls, concurrency);
    const p = await pipeline.round(calls, concurrency);
    bareRounds.push(b);
    pipelineRounds.push(p);
    if (options.verbose) {
      log(
        `round ${round + 1}: bare ${b.wallUs.toFixed(2)} us/call (cpu ${b.cpuUs.toFixed(2)}), pipeline ${p.wallUs.toFixed(2)} (cpu ${p.cpuUs.toFixed(2)}), overhead ${((p.wallUs / b.wallUs - 1) * 100).toFixed(1)}% (cpu ${((p.cpuUs / b.cpuUs - 1) * 100).toFixed(1)}%)`,
      );
    }
  }
  await Promise.all([bare.close(), pipeline.close()]);
  const roundOverheads = pipelineRounds.map((p, i) => p.wallUs / (bareRounds[i]?.wallUs ?? NaN) - 1);
  const cpuOverheads = pipelineRounds.map((p, i) => p.cpuUs / (bareRounds[i]?.cpuUs ?? NaN) - 1);
  const bareUs = median(bareRounds.map((r) => r.wallUs));
  const pipelineUs = median(pipelineRounds.map((r) => r.wallUs));
  const overhead = median(roundOverheads);
  const cpuOverhead = median(cpuOverheads);
  const overheadOfBest = Math.min(...pipelineRounds.map((r) => r.wallUs)) / Math.min(...bareRounds.map((r) => r.wallUs)) - 1;

  // The pipeline alone, over a transport that answers at once.
  const [instant, instantPipeline] = await Promise.all([startVariant('instant'), startVariant('instant-pipeline')]);
  for (let i = 0; i < 10; i++) {
    await instant.round(calls, concurrency);
    await instantPipeline.round(calls, concurrency);
  }
  const stackTimes: number[] = [];
  for (let round = 0; round < 9; round++)
    stackTimes.push((await instantPipeline.round(calls, concurrency)).cpuUs - (await instant.round(calls, concurrency)).cpuUs);
  await Promise.all([instant.close(), instantPipeline.close()]);
  const stackUs = median(stackTimes);

  let instructions: ResilienceBenchResult['instructions'];
  if (options.instructions) {
    log('counting instructions per call under valgrind (2,000 and 12,000 calls per variant) ...');
    instructions = await instructionsPerCall();
  }

  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const table = [
    `DescribeImages (20 images), in process, ${concurrency} concurrent callers, ${calls} calls x ${rounds} alternating rounds`,
    `  bare simulation transport    ${bareUs.toFixed(2)} us/call median wall (${Math.round(1e6 / bareUs)} calls/s), cpu ${median(bareRounds.map((r) => r.cpuUs)).toFixed(2)} us`,
    `  default pipeline             ${pipelineUs.toFixed(2)} us/call median wall (${Math.round(1e6 / pipelineUs)} calls/s), cpu ${median(pipelineRounds.map((r) => r.cpuUs)).toFixed(2)} us`,
    `  overhead, median of rounds   ${pct(overhead)} wall, ${pct(cpuOverhead)} cpu   (target <= 5%)`,
    `  overhead, best vs best       ${pct(overheadOfBest)} wall`,
    `  the pipeline alone over an instant transport: ${stackUs.toFixed(2)} cpu us/call`,
    ...(instructions
      ? [
          `  instructions per call (valgrind): bare ${Math.round(instructions.bare / 1000)}k, pipeline ${Math.round(instructions.pipeline / 1000)}k, overhead ${pct(instructions.overhead)}`,
        ]
      : []),
  ].join('\n');
  log(table);
  return { bareUs, pipelineUs, overhead, cpuOverhead, overheadOfBest, stackUs, instructions, roundOverheads, table };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  await run({
    ...(quick ? { calls: 2_000, rounds: 9 } : {}),
    verbose: process.argv.includes('--verbose'),
    instructions: process.env.BENCH_INSTRUCTIONS === '1',
  });
}
