import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedRegistry, demoSeed, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../src/App.js';
import { main } from '../src/main.js';
import { createProgram } from '../src/program.js';
import { captureIo } from './captureIo.js';
import { baseEnv, cliRoot, explain, runCli, runMany, tempDir, type CliResult } from './runCli.js';
import { ecrkitInvocations } from './shellCommands.js';

// Every example of every `--help` runs against the demo data and exits as its text says
// (0 unless it says "exits N"). Each runs on a fresh state file, as a newcomer would meet it, in
// a directory of its own holding the deploy files the `pin` examples name (copies of
// test/fixtures/deploy as k8s/web.yaml, ecs/task.json and lambda/function.json).
// `--target aws` examples run against the simulation's HTTP server (the test adds --endpoint);
// `sim serve` examples run as a process on a free port (the test passes --port 0), with the
// secret file they name, and are stopped once they listen.

interface Example {
  help: string;
  line: string;
  args: string[];
  expected: number;
}

const accessKeyId = 'AKIDHELPEXAMPLES';
const secretAccessKey = 'help-examples-secret';
const exampleEnv = baseEnv({ AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: 'us-east-1' });
const documentedPort = 'http://127.0.0.1:4510';

const deployFiles: [string, string][] = [
  ['web.yaml', 'k8s/web.yaml'],
  ['task.json', 'ecs/task.json'],
  ['function.json', 'lambda/function.json'],
];

/** A fresh working directory for one example, with the deploy files and the registry policy the examples name. */
function exampleDir(path: string): string {
  for (const [fixture, target] of deployFiles) {
    mkdirSync(join(path, target, '..'), { recursive: true });
    copyFileSync(join(cliRoot, 'test', 'fixtures', 'deploy', fixture), join(path, target));
  }
  copyFileSync(join(cliRoot, 'test', 'fixtures', 'registry-policy.json'), join(path, 'registry-policy.json'));
  return path;
}

function commandPaths(command: Command, path: string[] = []): string[][] {
  return [path, ...command.commands.flatMap((c) => commandPaths(c, [...path, c.name()]))];
}

async function helpText(path: string[]): Promise<string> {
  const io = captureIo();
  expect(await main([...path, '--help'], io.io)).toBe(0);
  return io.out();
}

/** `  $ <command>   <what it shows>`: the command is what comes before two or more spaces. */
function examplesIn(text: string): { line: string; expected: number; invocations: string[][] }[] {
  const examples: { line: string; expected: number; invocations: string[][] }[] = [];
  for (const [, body] of text.matchAll(/^ {2}\$ (.+)$/gm)) {
    const [line, description = ''] = body!.split(/ {2,}/);
    const expected = Number(/exits (\d+)/.exec(description)?.[1] ?? 0);
    examples.push({ line: line!, expected, invocations: ecrkitInvocations(line!) });
  }
  return examples;
}

describe('the shell line parser the example runner uses', () => {
  it('finds ecrkit in pipelines, substitutions and eval, without redirections', () => {
    expect(ecrkitInvocations('ecrkit get-login-password | docker login --username AWS --password-stdin host')).toEqual([['get-login-password']]);
    expect(ecrkitInvocations('eval "$(ecrkit login)"')).toEqual([['login']]);
    expect(ecrkitInvocations('IMAGE=$(ecrkit deployable web-app v1.2.0 --quiet) && kubectl set image deploy/web web=$IMAGE')).toEqual([
      ['deployable', 'web-app', 'v1.2.0', '--quiet'],
    ]);
    expect(ecrkitInvocations('source <(ecrkit completion bash)')).toEqual([['completion', 'bash']]);
    expect(ecrkitInvocations('ecrkit manifest web-app v1.2.0 --raw > manifest.json')).toEqual([['manifest', 'web-app', 'v1.2.0', '--raw']]);
    expect(ecrkitInvocations("ecrkit images web-app --query 'imageDetails[].imageTags[]' --output text")).toEqual([
      ['images', 'web-app', '--query', 'imageDetails[].imageTags[]', '--output', 'text'],
    ]);
    expect(ecrkitInvocations('npm start')).toEqual([]);
  });
});

describe('every --help example runs against the demo data', () => {
  const dir = tempDir();
  const examples: Example[] = [];
  const skipped: string[] = [];
  let server: SimulationServer;

  beforeAll(async () => {
    const registry = new SimulatedRegistry().loadSeed(demoSeed);
    registry.configureScanProgression({ sequence: ['COMPLETE'] });
    server = await startSimulationServer({ registry, port: 0 });
    for (const path of commandPaths(createProgram(new App(captureIo().io)))) {
      const help = ['ecrkit', ...path].join(' ');
      for (const example of examplesIn(await helpText(path))) {
        if (example.invocations.length === 0) skipped.push(example.line);
        for (const args of example.invocations) examples.push({ help, line: example.line, args, expected: example.expected });
      }
    }
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    dir.remove();
  });

  const isServe = (e: Example) => e.args.includes('sim') && e.args.includes('serve');
  const isAws = (e: Example) => !isServe(e) && (e.args.includes('aws') || e.args.includes('--endpoint'));

  it('finds examples in every command, and leaves out only lines that run no ecrkit command', () => {
    expect(examples.length).toBeGreaterThan(40);
    expect(skipped).toContain('npm start');
    for (const line of skipped) expect(line).not.toMatch(/\becrkit\b/);
  });

  it('on the embedded simulation, each with a fresh state', async () => {
    const local = examples.filter((x) => !isServe(x) && !isAws(x));
    const failures: string[] = [];
    // In process, a few at a time: most of an example's time is a scan or replication waiting on its timer.
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < local.length; i = next++) {
        const e = local[i]!;
        const cwd = exampleDir(join(dir.path, `example-${i}`));
        const io = captureIo({ cwd, env: {} });
        const code = await main(['--state', join(cwd, 'state.json'), ...e.args], io.io);
        if (code !== e.expected || (code === 0 && io.err().includes('error:'))) {
          failures.push(`${e.help} --help: \`${e.line}\` exited ${code}, expected ${e.expected}\n${io.err()}`);
        }
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    expect(failures).toEqual([]);
  }, 120_000);

  it('against AWS (the simulation over HTTP)', async () => {
    const aws = examples.filter(isAws);
    expect(aws.length).toBeGreaterThan(2);
    const argsOf = (e: Example) => {
      const args = e.args.map((a) => (a === documentedPort ? server.url : a));
      return args.includes('--endpoint') ? args : ['--endpoint', server.url, ...args];
    };
    const results = await runMany(aws.map(argsOf), { env: exampleEnv, cwd: dir.path }, 3);
    for (const [i, e] of aws.entries()) expect(results[i]!.code, `${e.help}: ${e.line}\n${explain(argsOf(e), results[i]!)}`).toBe(e.expected);
  }, 60_000);

  it('sim serve: listens, prints its URL, stops on SIGTERM', async () => {
    const serve = examples.filter(isServe);
    expect(serve.length).toBeGreaterThan(0);
    writeFileSync(join(dir.path, 'sim.secret'), `${secretAccessKey}\n`);
    for (const e of serve) {
      const ported = e.args.map((a, i) => (e.args[i - 1] === '--port' ? '0' : a));
      // The documented default port may be taken on a shared machine.
      const args = ported.includes('--port') ? ported : [...ported, '--port', '0'];
      let url = '';
      const r: CliResult = await runCli(args, {
        cwd: dir.path,
        env: exampleEnv,
        onStdout: (stdout, child) => {
          if (!url && /^http:\/\/\S+\n/.test(stdout)) {
            url = stdout.trim();
            child.kill('SIGTERM');
          }
        },
      });
      expect(r.code, `${e.line}\n${explain(args, r)}`).toBe(0);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  }, 60_000);
});
