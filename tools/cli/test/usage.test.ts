import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv, explain, runMany, tempDir } from './runCli.js';

// Bad arguments and missing things give the documented exit codes and one clear error line, as a
// subprocess sees them. More argument-parsing cases run in process in src/main.test.ts.
const dir = tempDir();
const state = join(dir.path, 'state.json');
afterAll(() => dir.remove());

const cases: { args: string[]; code: number; stderr: RegExp; env?: NodeJS.ProcessEnv }[] = [
  { args: ['images'], code: 2, stderr: /missing required argument 'repo'\. Run `ecrkit images --help` for usage\./ },
  { args: ['repos', '--output', 'xml'], code: 2, stderr: /argument 'xml' is invalid/ },
  { args: ['images', 'Bad_Name'], code: 2, stderr: /Invalid parameter 'repositoryName'/ },
  { args: ['manifest', 'web-app', 'v1.0.0', '--platform', 'linux/arm64'], code: 2, stderr: /single-platform image/ },
  { args: ['images', 'no-such-repo'], code: 3, stderr: /no-such-repo.*Run `ecrkit repos` to list the repositories\./ },
  { args: ['describe', 'web-app', 'v0.0.0'], code: 3, stderr: /Run `ecrkit images web-app` to list its images\./ },
  { args: ['lifecycle', 'preview', 'api-service'], code: 3, stderr: /no lifecycle policy/ },
  { args: ['findings', 'web-app', 'v1.2.0-missing'], code: 3, stderr: /^error: .*v1\.2\.0-missing/m },
  { args: ['--target', 'aws', 'repos'], code: 2, stderr: /--target aws needs a region\. Pass --region/ },
  { args: ['--target', 'aws', '--region', 'us-east-1', 'repos'], code: 4, stderr: /AWS_ACCESS_KEY_ID/ },
  {
    args: ['--endpoint', 'http://127.0.0.1:9', '--region', 'us-east-1', 'repos'],
    code: 5,
    stderr: /Could not reach http:\/\/127\.0\.0\.1:9/,
    env: baseEnv({ AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x' }),
  },
];

describe('exit codes and error lines', () => {
  it('every bad invocation exits with its documented code and a one-line error, no stack without --debug', async () => {
    const results = await Promise.all(
      [0, 1, 2].map(async (lane) => {
        const mine = cases.filter((_, i) => i % 3 === lane);
        const out = [];
        for (const c of mine) out.push({ c, r: (await runMany([['--state', state, ...c.args]], c.env ? { env: c.env } : {}))[0]! });
        return out;
      }),
    );
    for (const { c, r } of results.flat()) {
      expect(r.code, explain(c.args, r)).toBe(c.code);
      expect(r.stderr, explain(c.args, r)).toMatch(c.stderr);
      expect(r.stderr, explain(c.args, r)).not.toMatch(/\n\s+at /);
      expect(
        r.stderr.split('\n').filter((l) => l.startsWith('error:')),
        explain(c.args, r),
      ).toHaveLength(1);
    }
  }, 90_000);

  it('--debug adds the details and the stack', async () => {
    const [r] = await runMany([['--state', state, '--debug', 'images', 'no-such-repo']]);
    expect(r!.code).toBe(3);
    expect(r!.stderr).toMatch(/kind: 'RepositoryNotFound'/);
    expect(r!.stderr).toMatch(/\n\s+at /);
  }, 30_000);
});

describe('errors as JSON', () => {
  it('hold no secret; --debug adds the stack (after the redacted request log lines)', async () => {
    const secret = 'wJalrXUtnFEMI-not-a-real-secret-key';
    const env = baseEnv({ AWS_ACCESS_KEY_ID: 'AKIDJSONERRORTEST', AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: `${secret}-session` });
    const args = ['--endpoint', 'http://127.0.0.1:9', '--region', 'us-east-1', '-o', 'json', '--debug', 'repos'];
    const [r] = await runMany([args], { env });
    expect(r!.code, explain(args, r!)).toBe(5);
    expect(r!.stdout).toBe('');
    const error = JSON.parse(r!.stderr.trimEnd().split('\n').at(-1)!) as { kind: string; hint: string; stack: string };
    expect(error).toMatchObject({ kind: 'Network', awsCode: null, requestId: null, exitCode: 5 });
    expect(error.hint).toContain('Could not reach http://127.0.0.1:9');
    expect(error.stack).toMatch(/\n\s+at /);
    expect(r!.stderr).not.toContain(secret);
  }, 30_000);
});
