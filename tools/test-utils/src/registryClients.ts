import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The independently written registry clients the interop tests drive, installed from Debian by `.ci/run`. */
export type RegistryClientName = 'skopeo' | 'buildah';

/** The path of an executable on `PATH`, or `undefined`. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Whether a registry client is installed. Without it, a CI run (`CI` set) fails here: `.ci/run`
 * installs it from Debian, so its absence there is a broken set-up, not a reason to skip, unless
 * `.ci/run` said why it could not (`ECRKIT_NO_REGISTRY_CLIENTS`: no apt). Elsewhere the interop
 * suite is skipped, with this message on stderr.
 */
export function registryClientAvailable(name: RegistryClientName): boolean {
  if (findExecutable(name)) return true;
  const reason = process.env.ECRKIT_NO_REGISTRY_CLIENTS;
  const message = `${name} is not installed${reason ? ` (${reason})` : ''}: the tests that push and pull with ${name} are skipped (install it with \`apt-get install -y ${name}\`).`;
  if (process.env.CI && !reason) throw new Error(`${message} In CI .ci/run installs it; this run cannot check the registry face against a real client.`);
  process.stderr.write(`${message}\n`);
  return false;
}

/** What a client run printed and how it ended. */
export interface RegistryClientResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `<name> <args>` (with `input` on stdin); never rejects for a non-zero exit. */
export function runRegistryClient(
  name: RegistryClientName,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RegistryClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(name, [...args], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
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
