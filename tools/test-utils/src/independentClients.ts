import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * The independently written clients the interop tests drive, installed from Debian by `.ci/run`:
 * skopeo and buildah against the registry face, the AWS CLI and boto3 against the ECR API.
 */
export type IndependentClientName = 'skopeo' | 'buildah' | 'aws' | 'boto3';

interface ClientSpec {
  /** The Debian package `.ci/run` installs. */
  apt: string;
  /** Executables to try, in order; the first that exists (and passes `probe`) runs the client. */
  candidates: readonly string[];
  /** Arguments that must exit 0 for a candidate to count (boto3: the Python must import it). */
  probe?: readonly string[];
  /** What the tests that need it do, for the skip message. */
  tests: string;
}

// Debian's own AWS CLI and Python first: a Python environment earlier on PATH (pyenv) may carry
// other versions, or none.
const clients: Record<IndependentClientName, ClientSpec> = {
  skopeo: { apt: 'skopeo', candidates: ['skopeo'], tests: 'push and pull with skopeo' },
  buildah: { apt: 'buildah', candidates: ['buildah'], tests: 'build and push with buildah' },
  aws: { apt: 'awscli', candidates: ['/usr/bin/aws', 'aws'], tests: 'call the simulation server with the AWS CLI' },
  boto3: {
    apt: 'python3-boto3',
    candidates: ['/usr/bin/python3', 'python3'],
    probe: ['-c', 'import boto3'],
    tests: 'call the simulation server with boto3',
  },
};

/** The path of an executable on `PATH` (or at `name`, if absolute), or `undefined`. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = isAbsolute(name)
    ? [name]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const resolved = new Map<IndependentClientName, string | undefined>();

/** The executable that runs `name` here, or `undefined` when it is not installed. */
export function independentClientPath(name: IndependentClientName): string | undefined {
  if (!resolved.has(name)) {
    const spec = clients[name];
    const found = spec.candidates
      .map((candidate) => findExecutable(candidate))
      .find((path) => path !== undefined && (!spec.probe || spawnSync(path, [...spec.probe], { stdio: 'ignore' }).status === 0));
    resolved.set(name, found);
  }
  return resolved.get(name);
}

/**
 * Whether an independent client is installed. Without it, a CI run (`CI` set) fails here:
 * `.ci/run` installs it from Debian, so its absence there is a broken set-up, not a reason to
 * skip, unless `.ci/run` said why it could not (`ECRKIT_NO_INDEPENDENT_CLIENTS`: no apt).
 * Elsewhere the tests that need it are skipped, with this message on stderr.
 */
export function independentClientAvailable(name: IndependentClientName): boolean {
  if (independentClientPath(name)) return true;
  const { apt, tests } = clients[name];
  const reason = process.env.ECRKIT_NO_INDEPENDENT_CLIENTS;
  const message = `${name} is not installed${reason ? ` (${reason})` : ''}: the tests that ${tests} are skipped (install it with \`apt-get install -y ${apt}\`).`;
  if (process.env.CI && !reason) throw new Error(`${message} In CI .ci/run installs it; this run cannot check ecrkit against a real client.`);
  process.stderr.write(`${message}\n`);
  return false;
}

/** What a client run printed and how it ended. */
export interface IndependentClientResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run `<name> <args>` (with `input` on stdin); never rejects for a non-zero exit. For `boto3`
 * the arguments go to the Python that imports it (`['-c', script]`).
 */
export function runIndependentClient(
  name: IndependentClientName,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<IndependentClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(independentClientPath(name) ?? name, [...args], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
