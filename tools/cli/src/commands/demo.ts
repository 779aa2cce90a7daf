import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { App, type CommandContext } from '../App.js';
import type { CliIo } from '../CliIo.js';
import type { DemoOutput, DemoStep } from '../CliOutputs.js';
import { formatDuration, shortDigest } from '../internal/format.js';
import { openDemoSession, type Session } from '../session.js';

// Names from the simulation's demo seed (`demoSeed`): the tour walks through them.
const releaseRepo = 'web-app';
const newRelease = 'v1.3.0';
const vulnerableRelease = 'v1.0.0';
const gate = ['--max-critical', '0', '--max-high', '2'];
const steps = 7;

/** `demo`: a guided tour on a fresh in-memory simulation. */
export function registerDemoCommand(program: Command, app: App, createProgram: (app: App) => Command): void {
  program
    .command('demo')
    .description('A guided tour on a fresh embedded simulation (no AWS account, no network, a few seconds); leaves no state behind')
    .addHelpText(
      'after',
      "\nExamples:\n  $ ecrkit demo\n  $ ecrkit demo --output json     every step's output as one JSON document\n  $ npm start                     builds the CLI and runs this",
    )
    .action(
      app.action(async (ctx) => {
        const session = await openDemoSession(ctx.globals);
        try {
          await runDemo(ctx, app.io, session, createProgram);
        } finally {
          await session.close();
        }
      }),
    );
}

/**
 * How the reader runs the CLI from where the demo ran: through npm (`npm start`, `npx ecrkit`) in
 * a project whose `npx ecrkit` finds it, otherwise as `ecrkit` on the PATH (a global install).
 */
export function commandName(env: NodeJS.ProcessEnv): string {
  return env.npm_command === undefined ? 'ecrkit' : 'npx ecrkit';
}

/**
 * The tour runs the real commands, through the same program and renderers as `ecrkit <command>`,
 * on the demo's in-memory registry, so it prints exactly what they print. For a person (table
 * output) each step streams under a heading; with `--output json` or `text` the steps' JSON
 * outputs are collected into one document.
 */
async function runDemo(ctx: CommandContext<unknown>, io: CliIo, session: Session, createProgram: (app: App) => Command): Promise<void> {
  const { out } = ctx;
  const ecrkit = commandName(io.env);
  const registry = session.registry!;
  const started = Date.now();
  const streaming = out.format === 'table';
  const say = (text = '') => {
    if (streaming) out.stdout.write(`${text}\n`);
  };
  const shared: Session = { ...session, save: async () => undefined, close: async () => undefined };
  const ran: DemoStep[] = [];

  const run = async (n: number | undefined, title: string | undefined, args: string[]): Promise<number> => {
    const command = `ecrkit ${args.join(' ')}`;
    if (n !== undefined && title !== undefined) {
      say();
      say(`${out.colors.cyan(out.colors.bold(`[${n}/${steps}]`))} ${out.colors.bold(title)}`);
    }
    say(out.colors.dim(`$ ${command}`));
    const chunks: Buffer[] = [];
    const stdout = streaming ? out.stdout : new PassThrough().on('data', (d: Buffer) => void chunks.push(d));
    const sub = new App({ ...io, stdout }, { openSession: async () => shared, signal: ctx.signal });
    const flags = [...(streaming ? [] : ['--output', 'json']), ...(ctx.globals.color ? [] : ['--no-color'])];
    try {
      await createProgram(sub).parseAsync([...flags, ...args], { from: 'user' });
    } finally {
      await sub.close();
    }
    if (!streaming) ran.push({ command, exitCode: sub.exitCode, output: JSON.parse(Buffer.concat(chunks).toString('utf8')) as DemoStep['output'] });
    return sub.exitCode;
  };

  say(out.colors.bold('ecrkit demo: a tour of ecrkit on the embedded ECR simulation'));
  say(out.colors.dim('Everything below runs in process against a fresh simulated registry: no AWS account, no network.'));

  await run(1, 'List the repositories', ['repos']);
  await run(2, `Inspect ${releaseRepo}: images and their scan results`, ['images', releaseRepo]);
  await run(3, 'Resolve the arm64 manifest of the multi-arch image api-service:latest', ['manifest', 'api-service', 'latest', '--platform', 'linux/arm64/v8']);

  // The simulation plays CI: a push that triggers scan on push and replication, as in ECR.
  registry.configureScanProgression({
    sequence: ['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE'],
    advanceOn: 'time',
    stepMs: 400,
    findings: { high: 1, medium: 2, low: 3 },
  });
  const destinations = await session.client.replication.listDestinations({ signal: ctx.signal }).toArray();
  registry.configureReplication({
    destinations: destinations.map((d) => ({ region: d.region, registryId: d.registryId })),
    // Poll-driven, so the wait in step 7 shows progress however long the steps before it took.
    sequence: ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE'],
    advanceOn: 'poll',
  });
  const pushed = registry.addImage(releaseRepo, { tags: [newRelease], layers: 3 });
  say();
  say(`${out.colors.cyan(out.colors.bold(`[4/${steps}]`))} ${out.colors.bold('Scan a new release and gate it; an old release fails the same gate')}`);
  say(out.colors.dim(`(the simulation plays CI and pushes ${releaseRepo}:${newRelease}, ${shortDigest(pushed.imageDigest)}; scan on push starts)`));
  const scanned = await run(undefined, undefined, ['scan', releaseRepo, newRelease, '--wait', ...gate]);
  const blocked = await run(undefined, undefined, ['deployable', releaseRepo, vulnerableRelease, ...gate]);

  await run(5, 'Log Docker in (the password goes through stdin and is never printed)', ['login']);
  await run(6, 'A Kubernetes image pull secret (credential redacted here; --reveal prints it)', ['pull-secret', 'default']);
  await run(7, `Wait for ${releaseRepo}:${newRelease} to replicate to ${destinations.map((d) => d.region).join(' and ')}`, [
    'replication',
    releaseRepo,
    newRelease,
    '--wait',
  ]);

  const elapsedMs = Date.now() - started;
  if (!streaming) {
    const summary: DemoOutput = { steps: ran, elapsedMs };
    out.result('demo', summary, () => '');
    return;
  }
  say();
  say(out.colors.bold('Summary'));
  out.stdout.write(
    out.fields([
      [
        'Scan gate',
        `${releaseRepo}:${newRelease} ${scanned === 0 ? out.colors.green('passed') : out.colors.red('failed')}; ${releaseRepo}:${vulnerableRelease} ${blocked === 0 ? 'passed' : out.colors.red('blocked')} (exit ${blocked})`,
      ],
      ['Time', formatDuration(elapsedMs)],
    ]),
  );
  say(
    out.colors.dim(
      '\nNext: the same commands work on a persistent simulation (state in .ecrkit/sim-state.json) and on AWS:\n' +
        `  ${ecrkit} repos | ${ecrkit} images web-app | ${ecrkit} scan web-app v1.2.0 --wait --max-critical 0\n` +
        `  ${ecrkit} --target aws --region eu-west-1 repos     ${ecrkit} --help for everything`,
    ),
  );
}
