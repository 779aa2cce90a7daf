import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI package folder. */
export const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsxLoader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');

/** Node arguments that run a TypeScript file from sources (tsx, the `@ecrkit/source` condition). */
export function sourceLoader(): string[] {
  return ['--conditions=@ecrkit/source', '--import', tsxLoader];
}

/** How to start the CLI: from sources through tsx (the default; no build needed) or the built `dist/bin.js` (ECRKIT_CLI_BIN=dist). */
export function cliCommand(): string[] {
  if (process.env.ECRKIT_CLI_BIN === 'dist') return [join(cliRoot, 'dist', 'bin.js')];
  return [...sourceLoader(), join(cliRoot, 'src', 'bin.ts')];
}

/**
 * A folder with executables `ecrkit` and `docker-credential-ecrkit` that run the CLI and the
 * credential helper the way {@link cliCommand} does (sources through tsx, or `dist/`), for
 * putting on the PATH of a shell or a client such as skopeo.
 */
export function binDir(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const dist = process.env.ECRKIT_CLI_BIN === 'dist';
  const entries = { ecrkit: dist ? 'bin.js' : 'bin.ts', 'docker-credential-ecrkit': dist ? 'credentialHelperBin.js' : 'credentialHelperBin.ts' };
  for (const [name, entry] of Object.entries(entries)) {
    const args = dist ? [join(cliRoot, 'dist', entry)] : ['--conditions=@ecrkit/source', '--import', tsxLoader, join(cliRoot, 'src', entry)];
    const script = `#!/bin/sh\nexec ${[process.execPath, ...args].map((a) => `'${a}'`).join(' ')} "$@"\n`;
    writeFileSync(join(bin, name), script, { mode: 0o755 });
  }
  return bin;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Called once the process has written this to stdout or stderr (e.g. to kill it mid-command). */
  onOutput?: (text: string, child: ReturnType<typeof spawn>) => void;
  /** Called with everything written to stdout so far, after each write. */
  onStdout?: (stdout: string, child: ReturnType<typeof spawn>) => void;
}

/** The environment every run starts from: no colors, no CI spinner games, no AWS settings from the host. */
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('AWS_') || k.startsWith('ECRKIT_') || k === 'NO_COLOR' || k === 'FORCE_COLOR') continue;
    env[k] = v;
  }
  // The host's ~/.aws must never leak into a test.
  env.AWS_CONFIG_FILE = '/nonexistent/ecrkit-test-config';
  env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/ecrkit-test-credentials';
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return { ...env, ...extra };
}

/** Run `ecrkit <args>` as a subprocess. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliCommand(), ...args], {
      cwd: options.cwd ?? cliRoot,
      env: options.env ?? baseEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      options.onStdout?.(stdout, child);
      options.onOutput?.(stdout + stderr, child);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      options.onOutput?.(stdout + stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A temporary directory removed by the returned function. */
export function tempDir(prefix = 'ecrkit-cli-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Run several independent invocations, a few at a time (two cores, tsx start-up ~0.5 s each). */
export async function runMany(list: readonly (readonly string[])[], options: RunOptions = {}, concurrency = 4): Promise<CliResult[]> {
  const results: CliResult[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      results[i] = await runCli(list[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
  return results;
}

/** The failure message for an unexpected exit: the command and both streams. */
export function explain(args: readonly string[], result: CliResult): string {
  return `ecrkit ${args.join(' ')} exited ${result.code} (${result.signal ?? 'no signal'})\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** A TCP port on 127.0.0.1 that was free a moment ago, for a process that must be told its port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
