import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// Child processes for the durability suite: the `ecrkit-sim` bin and small writer scripts, run
// from sources through tsx, so they can be killed for real (SIGKILL) at any moment.

const tsxLoader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');
const here = dirname(fileURLToPath(import.meta.url));

/** The bin's entry from sources. */
export const simEntry = join(here, '..', '..', 'src', 'bin', 'ecrkit-sim.ts');

const running = new Set<ChildProcess>();

/** Start a TypeScript entry in its own Node process (tsx, source condition). */
export function startTs(entry: string, args: readonly string[], options: { cwd?: string } = {}): ChildProcess {
  const child = spawn(process.execPath, ['--conditions=@ecrkit/source', '--import', tsxLoader, entry, ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Kill what a failed or timed-out test left running (call from `afterEach`). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface SimProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stderr so far. */
  stderr: () => string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `ecrkit-sim serve --port 0 ...args` in a child process; resolves once it prints its URL. */
export async function startSimProcess(args: readonly string[]): Promise<SimProcess> {
  const child = startTs(simEntry, ['serve', '--port', '0', ...args]);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then(({ code }) => reject(new Error(`ecrkit-sim exited (${code}) before listening: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

/** One unsigned AWS JSON 1.1 call. */
export async function callSim(url: string, operation: string, input: unknown = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
