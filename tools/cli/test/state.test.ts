import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '@ecrkit/simulation';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv, explain, runCli, tempDir, type CliResult } from './runCli.js';

// The embedded simulation's state file: default location, persistence, atomic saves.
const dir = tempDir();
afterAll(() => dir.remove());

function ok(args: readonly string[], r: CliResult, code = 0): CliResult {
  expect(r.code, explain(args, r)).toBe(code);
  return r;
}

describe('the state file', () => {
  it('defaults to .ecrkit/sim-state.json in the working directory; ECRKIT_STATE and --state move it', async () => {
    const cwd = join(dir.path, 'default');
    mkdirSync(cwd);
    ok(['repos'], await runCli(['repos'], { cwd }));
    expect(existsSync(join(cwd, '.ecrkit', 'sim-state.json'))).toBe(true);
    const viaEnv = join(dir.path, 'env-state.json');
    ok(['repos'], await runCli(['repos'], { cwd, env: baseEnv({ ECRKIT_STATE: viaEnv }) }));
    expect(existsSync(viaEnv)).toBe(true);
  }, 30_000);

  it('persists changes across invocations', async () => {
    const state = join(dir.path, 'persist.json');
    const tag = ['--state', state, 'tag', 'worker', 'latest', 'persisted'];
    ok(tag, await runCli(tag));
    const show = ['--state', state, 'describe', 'worker', 'persisted', '-o', 'json'];
    const r = ok(show, await runCli(show));
    expect((JSON.parse(r.stdout) as { imageDetails: { imageTags: string[] }[] }).imageDetails[0]!.imageTags).toContain('persisted');
    expect((await loadSnapshot(state)).snapshot().accounts.length).toBeGreaterThan(0);
  }, 30_000);

  it('a process killed mid-command leaves the previous state byte for byte', async () => {
    const state = join(dir.path, 'killed-wait.json');
    ok(['repos'], await runCli(['--state', state, 'repos']));
    const before = readFileSync(state);
    let killed = false;
    const r = await runCli(['--state', state, 'scan', 'web-app', 'v1.1.0', '--wait'], {
      onOutput: (text, child) => {
        if (!killed && text.includes('Scanning web-app:v1.1.0')) {
          killed = true;
          child.kill('SIGKILL');
        }
      },
    });
    expect(r.signal).toBe('SIGKILL');
    expect(readFileSync(state).equals(before)).toBe(true);
    ok(['repos'], await runCli(['--state', state, 'repos']));
  }, 30_000);

  // Each kill leaves the state file's lock to go stale (5 s) before the next command takes it over.
  it('a process killed while saving leaves a valid state, old or new', async () => {
    const state = join(dir.path, 'killed-save.json');
    ok(['repos'], await runCli(['--state', state, 'repos']));
    for (const tag of ['k1', 'k2', 'k3']) {
      // The save happens right after the result is printed: kill on the first output.
      const r = await runCli(['--state', state, 'tag', 'worker', 'latest', tag], { onOutput: (_text, child) => void child.kill('SIGKILL') });
      expect(r.code === 0 || r.signal === 'SIGKILL', explain(['tag'], r)).toBe(true);
      const registry = await loadSnapshot(state);
      expect(registry.snapshot().format).toBeDefined();
    }
    const args = ['--state', state, 'images', 'worker', '--tagged', '-o', 'json'];
    ok(args, await runCli(args));
  }, 90_000);

  it('a corrupt state file is a usage error naming the file (exit 2)', async () => {
    const state = join(dir.path, 'corrupt.json');
    writeFileSync(state, '{"not": "a snapshot"');
    const args = ['--state', state, 'repos'];
    const r = ok(args, await runCli(args), 2);
    expect(r.stderr).toContain('corrupt.json is not a valid ecrkit snapshot');
    expect(r.stderr).toContain('Delete it');
  }, 30_000);
});
