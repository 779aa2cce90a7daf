import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { independentClientAvailable } from '@ecrkit/test-utils';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { baseEnv, binDir, cliRoot, freePort, tempDir } from './runCli.js';

// examples/: a GitHub Actions workflow and a GitLab CI pipeline that release with ecrkit, and the
// script that runs the same steps on this machine against the simulation. GitHub and GitLab
// cannot be reached from here, so their files are checked against the services' own schemas
// (action-validator's for workflows; GitLab's CI schema as gitlab-ci-local ships it), and the
// script runs end to end.

const examples = join(cliRoot, '..', '..', 'examples');
const workflowPath = join(examples, 'github-actions', 'release.yml');
const gitlabPath = join(examples, 'gitlab-ci', '.gitlab-ci.yml');
const scriptPath = join(examples, 'local', 'pipeline.sh');
const read = (path: string) => readFileSync(path, 'utf8');

async function gitlabValidator() {
  const { schema } = await import('gitlab-ci-local/src/schema/schema.js');
  // GitLab's schema uses editor keywords (markdownDescription) and formats ajv does not know.
  return new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false }).compile(schema);
}

describe('the CI examples', () => {
  it('the GitHub Actions workflow is valid, and the validator rejects a broken one', () => {
    expect(validateWorkflow(read(workflowPath)).errors).toEqual([]);
    expect(validateWorkflow(read(workflowPath).replace('runs-on:', 'run-on:')).errors).not.toEqual([]);
  });

  it('the GitLab CI file is valid against GitLab schema, and the schema rejects a broken one', async () => {
    const validate = await gitlabValidator();
    const valid = validate(parse(read(gitlabPath)));
    expect(validate.errors ?? [], 'errors').toEqual([]);
    expect(valid).toBe(true);
    expect(validate(parse(read(gitlabPath).replace('  script:\n    - ecrkit', '  scrip:\n    - ecrkit')))).toBe(false);
  });

  it('both CI files and the local script run the same ecrkit steps', () => {
    // A command and, where it has one, its subcommand or mode.
    const steps = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]!).sort();
    const ci = /ecrkit --target aws ([a-z-]+(?: verify| --helper)?)/g;
    const local = /^ecr ([a-z-]+(?: verify| --helper)?)/gm;
    const fromScript = [...new Set(steps(read(scriptPath), local))];
    expect(fromScript).toEqual(['login --helper', 'pin', 'replication verify', 'scan']);
    expect([...new Set(steps(read(workflowPath), ci))]).toEqual(fromScript);
    expect([...new Set(steps(read(gitlabPath), ci))]).toEqual(fromScript);
  });
});

const haveSkopeo = independentClientAvailable('skopeo');

describe.skipIf(!haveSkopeo)('examples/local/pipeline.sh', () => {
  it('builds, logs in through docker-credential-ecrkit, pushes with skopeo, gates, pins and verifies replication against the simulation', async () => {
    const dir = tempDir('ecrkit-example-pipeline-');
    try {
      const work = join(dir.path, 'work');
      const env = baseEnv({
        PATH: `${binDir(dir.path)}${delimiter}${process.env.PATH ?? ''}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEPIPELINE',
        AWS_SECRET_ACCESS_KEY: 'example-pipeline-secret',
        ECRKIT_CACHE_DIR: join(dir.path, 'cache'),
        WORK_DIR: work,
        PORT: String(await freePort()),
      });
      const result = await run('bash', [scriptPath], env);
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const digest = read(join(work, 'digest')).trim();
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(result.stdout).toContain('Gate (max critical 0): PASSED');
      expect(result.stdout).toMatch(/eu-west-1\s+123456789012\s+consistent/);
      // Both deploy files now name the digest that was pushed and passed the gate; the originals are untouched.
      for (const file of ['k8s/deployment.yaml', 'ecs/task-definition.json']) {
        expect(read(join(work, 'deploy', file))).toContain(`web-app@${digest}`);
        expect(read(join(examples, 'deploy', file))).toContain('web-app:v1.0.0');
      }
    } finally {
      dir.remove();
    }
  }, 180_000);
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
