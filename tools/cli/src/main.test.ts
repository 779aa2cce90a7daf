import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../test/captureIo.js';
import { main } from './main.js';

// Argument parsing and its exit codes, in process (the subprocess suites in test/ cover the rest).
const dir = mkdtempSync(join(tmpdir(), 'ecrkit-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const s = captureIo({ cwd: dir, env });
  const code = await main(['--state', join(dir, 'state.json'), ...args], s.io);
  return { code, stdout: s.out(), stderr: s.err() };
}

describe('usage errors exit 2 with one line naming the fix', () => {
  it.each([
    [['imagez', 'web-app'], /^error: unknown command 'imagez' \(Did you mean images\?\)\. Run `ecrkit --help` for usage\.\n$/],
    [['repos', 'extra'], /^error: too many arguments for 'repos'\. Expected 0 arguments but got 1\. Run `ecrkit repos --help` for usage\.\n$/],
    [['scan', 'web-app', 'v1.0.0', '--max-critical', 'many'], /Expected a whole number, 0 or more\. Run `ecrkit scan --help`/],
    [['scan', 'web-app', 'v1.0.0', '--timeout', '-3'], /Expected a positive number of seconds/],
    [['findings', 'web-app', 'v1.0.0', '--severity', 'dire'], /Expected one of critical, high, medium, low, informational, undefined/],
    [['images', 'web-app', '--tagged', '--untagged'], /cannot be used with option '--untagged'/],
    [['sim', 'serve', '--port', '70000'], /^error: --port must be a whole number from 0 to 65535, got '70000'\.\n$/],
    [['--transport', 'curl', 'repos'], /argument 'curl' is invalid/],
  ])('%j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a command group without a subcommand shows its help and exits 2', async () => {
    const r = await run(['lifecycle']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: ecrkit lifecycle');
  });

  it('invalid input caught by the services is a usage error too', async () => {
    const tag = await run(['describe', 'web-app', 'bad tag!']);
    expect(tag.code).toBe(2);
    expect(tag.stderr).toMatch(/^error: Invalid parameter .*Check the value; see `ecrkit describe --help`\.\n$/m);
    const ns = await run(['pull-secret', 'Not_A_Namespace']);
    expect(ns.code).toBe(2);
    expect(ns.stderr).toContain("Invalid parameter 'namespace'");
  });

  it('sim serve --verify-sigv4 needs a key pair', async () => {
    const r = await run(['sim', 'serve', '--verify-sigv4', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--verify-sigv4 needs the key pair clients will sign with. Pass --access-key with --secret-key-file, or set AWS_ACCESS_KEY_ID');
  });

  it('--endpoint implies --target aws', async () => {
    const r = await run(['--endpoint', 'http://127.0.0.1:9', 'repos']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--target aws needs a region');
    expect(r.stderr).not.toContain('target sim');
  });
});

describe('sim serve start-up failures', () => {
  // Without --state, so the seed is what gets loaded.
  async function serve(args: string[]) {
    const s = captureIo({ cwd: dir });
    const code = await main(['sim', 'serve', ...args], s.io);
    return { code, stdout: s.out(), stderr: s.err() };
  }

  it('an unreadable --seed file is a usage error naming it', async () => {
    const seed = join(dir, 'bad-seed.json');
    writeFileSync(seed, JSON.stringify({ repositories: [{ name: 'UPPER case' }] }));
    const r = await serve(['--port', '0', '--seed', seed]);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(`error: Could not load ${seed}: `), r.stderr).toBe(true);
    expect(r.stderr).toContain('or --seed demo / --seed empty.');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a port in use is a service error with a hint', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const r = await serve(['--port', String(port), '--seed', 'empty']);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`error: Could not listen on 127.0.0.1:${port}: `);
      expect(r.stderr).toContain('--port 0 for a free one');
      expect(r.stdout).toBe('');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('--query, --output text and errors as JSON', () => {
  it('--query applies JMESPath to the JSON result and implies --output json', async () => {
    const r = await run(['repos', '--query', 'repositories[?imageTagMutability==`IMMUTABLE`].repositoryName']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['lambda-processor']);
  });

  it('--output text prints the query result as the AWS CLI does', async () => {
    const names = await run(['repos', '--query', 'repositories[].repositoryName', '--output', 'text']);
    expect(names.stdout).toBe('web-app\tapi-service\tworker\tlambda-processor\n');
    const tags = await run(['images', 'web-app', '--tagged', '--query', 'imageDetails[].imageTags[]', '-o', 'text']);
    expect(tags.stdout).toBe('v1.2.0\tlatest\tv1.1.0\tv1.0.0\n');
    const whole = await run(['describe', 'web-app', 'v1.1.0', '-o', 'text']);
    expect(whole.stdout).toMatch(/^IMAGEDETAILS\t\S+\tsha256:[0-9a-f]{64}\t/m);
    expect(whole.stdout).toMatch(/^IMAGETAGS\tv1\.1\.0$/m);
  });

  it('an invalid expression is a usage error before any request (here a request would fail with exit 5)', async () => {
    const r = await run(['--endpoint', 'http://127.0.0.1:9', '--region', 'us-east-1', 'repos', '--query', 'repositories[']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toMatchObject({ kind: 'Usage', message: expect.stringContaining("Invalid --query expression 'repositories['") });
  });

  it('a query that fails on the data is a usage error too; --query with --output table is refused', async () => {
    const bad = await run(['repos', '--query', 'nosuchfunction(repositories)']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr)).toMatchObject({ kind: 'Usage', message: expect.stringContaining('--query failed') });
    const table = await run(['repos', '--query', 'repositories', '--output', 'table']);
    expect(table.code).toBe(2);
    expect(table.stderr).toContain('--query needs --output json or --output text');
  });

  it('a service error in JSON mode is one JSON object on stderr with kind, awsCode, message and requestId', async () => {
    const r = await run(['images', 'no-such-repo', '-o', 'json']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n') && r.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stderr)).toEqual({
      kind: 'RepositoryNotFound',
      awsCode: 'RepositoryNotFoundException',
      message: expect.stringContaining('no-such-repo'),
      requestId: expect.stringMatching(/\S/),
      hint: 'Run `ecrkit repos` to list the repositories.',
      exitCode: 3,
    });
  });

  it('usage errors are JSON too when JSON was asked for, however it was asked', async () => {
    for (const args of [
      ['-o', 'json', 'imagez'],
      ['--output=json', 'repos', '--bogus'],
      ['-ojson', 'images'],
      ['imagez', '--query', 'a'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stderr), args.join(' ')).toMatchObject({ kind: 'Usage', awsCode: null, requestId: null, exitCode: 2 });
    }
    const env = await run(['imagez'], { ECRKIT_OUTPUT: 'json' });
    expect(JSON.parse(env.stderr)).toMatchObject({ kind: 'Usage', message: expect.stringContaining("unknown command 'imagez'") });
  });
});

describe('notes on stderr', () => {
  async function runWith(args: string[], options: { stderrTTY?: boolean; columns?: number } = {}) {
    const s = captureIo({ cwd: dir, ...options });
    const code = await main(['--state', join(dir, 'notes-state.json'), ...args], s.io);
    return { code, stdout: s.out(), stderr: s.err() };
  }

  it('the simulation banner shows with --verbose or when stderr is a terminal, not in a pipe', async () => {
    expect((await runWith(['repos'])).stderr).toBe('');
    expect((await runWith(['--verbose', 'repos'])).stderr).toMatch(/^ecrkit: target sim \(embedded simulation, state in /);
    expect((await runWith(['repos'], { stderrTTY: true })).stderr).toContain('ecrkit: target sim');
  });

  it('tables fit a terminal of 60 columns; the same command in a pipe prints whole values', async () => {
    const narrow = await runWith(['repos', '--no-color'], { columns: 60 });
    for (const line of narrow.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(narrow.stdout).toContain('…');
    const piped = await runWith(['repos']);
    expect(piped.stdout).toContain('123456789012.dkr.ecr.us-east-1.amazonaws.com/lambda-processor');
  });
});
