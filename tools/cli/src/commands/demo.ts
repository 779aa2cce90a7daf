import type { Command } from 'commander';
import { formatPlatform } from '@ecrkit/core-types';
import type { App, CommandContext } from '../App.js';
import { formatBytes, formatDate, formatDuration, shortDigest } from '../internal/format.js';
import type { Output } from '../Output.js';
import { openDemoSession, type Session } from '../session.js';
import { loginPipeline, redactedYaml } from './auth.js';
import { severityCounts } from './images.js';
import { gateText, waitWithProgress } from './scans.js';
import { waitForReplication } from './replication.js';

// Names from the simulation's demo seed (`demoSeed`): the tour walks through them.
const releaseRepo = 'web-app';
const newRelease = 'v1.3.0';
const vulnerableRelease = 'v1.0.0';
const multiArchRepo = 'api-service';
const multiArchTag = 'latest';
const arm64 = 'linux/arm64/v8';
const gate = { maxCritical: 0, maxHigh: 2 };
const steps = 7;

/** `demo`: a guided tour on a fresh in-memory simulation. */
export function registerDemoCommand(program: Command, app: App): void {
  program
    .command('demo')
    .description('A guided tour on a fresh embedded simulation (no AWS account, no network, a few seconds); leaves no state behind')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit demo\n  $ ecrkit demo --output json     only the summary, as JSON\n  $ npm start                     builds the CLI and runs this',
    )
    .action(
      app.action(async (ctx) => {
        const session = await openDemoSession(ctx.globals);
        try {
          await runDemo(ctx, session, commandName(app.io.env));
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

async function runDemo(ctx: CommandContext<unknown>, session: Session, ecrkit: string): Promise<void> {
  const { out, signal } = ctx;
  const c = session.client;
  const registry = session.registry!;
  const started = Date.now();
  const quiet = out.format === 'json';
  const say = (text = '') => {
    if (!quiet) out.stdout.write(`${text}\n`);
  };
  const heading = (n: number, title: string, command: string) => {
    say();
    say(`${out.colors.cyan(out.colors.bold(`[${n}/${steps}]`))} ${out.colors.bold(title)}`);
    say(out.colors.dim(`$ ${command}`));
  };
  // Waits in the tour use the session's client, not the state-file one.
  const waitCtx = { out, signal, client: async () => c, session: async () => session };

  say(out.colors.bold('ecrkit demo: a tour of ecrkit on the embedded ECR simulation'));
  say(out.colors.dim('Everything below runs in process against a fresh simulated registry: no AWS account, no network.'));

  // 1. Repositories.
  heading(1, 'List the repositories', 'ecrkit repos');
  const repos = await c.repositories.list({ signal }).toArray();
  const imageCounts = new Map<string, number>();
  for (const r of repos) imageCounts.set(r.repositoryName ?? '', (await c.images.describe(r.repositoryName ?? '', undefined, { signal }).toArray()).length);
  say(
    out
      .table(repos, [
        { header: 'NAME', cell: (r) => out.colors.bold(r.repositoryName ?? '') },
        { header: 'IMAGES', cell: (r) => String(imageCounts.get(r.repositoryName ?? '') ?? 0), align: 'right' },
        { header: 'TAGS', cell: (r) => (r.imageTagMutability ?? 'MUTABLE').toLowerCase() },
        { header: 'SCAN ON PUSH', cell: (r) => (r.imageScanningConfiguration?.scanOnPush ? 'yes' : 'no') },
        { header: 'URI', cell: (r) => r.repositoryUri ?? '-' },
      ])
      .trimEnd(),
  );

  // 2. Inspect one repository.
  heading(2, `Inspect ${releaseRepo}: images and their scan results`, `ecrkit images ${releaseRepo}`);
  const images = (await c.images.describe(releaseRepo, undefined, { signal }).toArray()).sort(
    (a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0),
  );
  say(
    out
      .table(images, [
        { header: 'TAGS', cell: (i) => (i.imageTags?.length ? i.imageTags.join(', ') : out.colors.dim('<untagged>')) },
        { header: 'DIGEST', cell: (i) => shortDigest(i.imageDigest) },
        { header: 'PUSHED', cell: (i) => formatDate(i.imagePushedAt) },
        {
          header: 'FINDINGS',
          cell: (i) =>
            i.imageScanFindingsSummary?.findingSeverityCounts
              ? severityCounts(i.imageScanFindingsSummary.findingSeverityCounts)
              : out.colors.dim((i.imageScanStatus?.status ?? 'not scanned').toLowerCase().replace(/_/g, ' ')),
        },
      ])
      .trimEnd(),
  );

  // 3. Multi-architecture resolution.
  heading(
    3,
    `Resolve the arm64 manifest of the multi-arch image ${multiArchRepo}:${multiArchTag}`,
    `ecrkit manifest ${multiArchRepo} ${multiArchTag} --platform ${arm64}`,
  );
  const index = await c.manifests.getManifestList(multiArchRepo, multiArchTag, { signal });
  const platforms = index.manifest.manifests.flatMap((m) => (m.platform ? [formatPlatform(m.platform)] : []));
  const child = await c.manifests.getPlatformManifest(multiArchRepo, multiArchTag, arm64, { signal });
  const layerBytes = child.manifest.layers.reduce((sum, l) => sum + l.size, 0);
  say(`index ${shortDigest(index.digest)} (${index.mediaType.split('/').pop()}) lists ${platforms.join(', ')}`);
  say(`${out.colors.bold(arm64)} -> ${child.digest}`);
  say(out.colors.dim(`  ${child.manifest.layers.length} layers, ${formatBytes(layerBytes)}, digest verified against the registry`));

  // 4. Push, scan on push, gate.
  heading(
    4,
    `Scan a new release and gate it (max ${gate.maxCritical} critical, max ${gate.maxHigh} high)`,
    `ecrkit scan ${releaseRepo} ${newRelease} --wait --max-critical ${gate.maxCritical} --max-high ${gate.maxHigh}`,
  );
  // The simulation plays CI: a push that triggers scan on push and replication, as in ECR.
  registry.configureScanProgression({
    sequence: ['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE'],
    advanceOn: 'time',
    stepMs: 400,
    findings: { high: 1, medium: 2, low: 3 },
  });
  const destinations = await c.replication.listDestinations({ signal }).toArray();
  registry.configureReplication({
    destinations: destinations.map((d) => ({ region: d.region, registryId: d.registryId })),
    // Poll-driven, so the wait in step 7 shows progress however long the steps before it took.
    sequence: ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE'],
    advanceOn: 'poll',
  });
  const pushed = registry.addImage(releaseRepo, { tags: [newRelease], layers: 3 });
  say(out.colors.dim(`(the simulation plays CI and pushes ${releaseRepo}:${newRelease}, ${shortDigest(pushed.imageDigest)}; scan on push starts)`));
  const findings = await waitWithProgress(waitCtx, releaseRepo, newRelease, { timeoutMs: 30_000, pollIntervalMs: 200, maxPollIntervalMs: 400 });
  const verdict = c.scans.evaluate(findings, gate);
  say(`findings: ${severityCounts(findings.findingSeverityCounts)}`);
  say(gateText(out, verdict, gate).trimEnd());
  const blocked = await c.getImageForDeployment(releaseRepo, vulnerableRelease, { thresholds: gate, signal });
  say(out.colors.dim(`$ ecrkit deployable ${releaseRepo} ${vulnerableRelease} --max-critical ${gate.maxCritical} --max-high ${gate.maxHigh}`));
  say(
    `${releaseRepo}:${vulnerableRelease} ${blocked.gate.passed ? out.colors.green('passes') : out.colors.red('is blocked')}: ${blocked.gate.reasons.join('; ') || 'no violations'}`,
  );

  // 5. Docker login.
  heading(5, 'Log Docker in (the password goes through stdin and is never printed)', 'ecrkit login');
  const login = await c.auth.getLoginCommand({ signal });
  say(loginPipeline(login, { ...ctx.globals, target: 'sim' }));
  say(out.colors.dim(`  token valid until ${formatDate(login.expiresAt)}`));

  // 6. Kubernetes pull secret.
  heading(6, 'A Kubernetes image pull secret (credential redacted here; --reveal prints it)', 'ecrkit pull-secret default');
  const secret = await c.auth.imagePullSecret('default', undefined, { signal });
  say(redactedYaml(secret).trimEnd());

  // 7. Replication.
  heading(
    7,
    `Wait for ${releaseRepo}:${newRelease} to replicate to ${destinations.map((d) => d.region).join(' and ')}`,
    `ecrkit replication ${releaseRepo} ${newRelease} --wait`,
  );
  const replication = await waitForReplication(waitCtx, releaseRepo, newRelease, [], 30_000, { pollIntervalMs: 250, maxPollIntervalMs: 250 });
  say(
    out
      .table(replication.regions, [
        { header: 'REGION', cell: (r) => out.colors.bold(r.region) },
        { header: 'STATUS', cell: (r) => (r.status === 'COMPLETE' ? out.colors.green('complete') : out.colors.red(r.status.toLowerCase())) },
      ])
      .trimEnd(),
  );

  const elapsedMs = Date.now() - started;
  const summary = {
    repositories: repos.map((r) => r.repositoryName),
    images: Object.fromEntries(imageCounts),
    multiArch: { repository: multiArchRepo, tag: multiArchTag, platforms, arm64Digest: child.digest },
    scan: {
      image: `${releaseRepo}:${newRelease}`,
      digest: pushed.imageDigest,
      status: findings.status ?? null,
      counts: findings.findingSeverityCounts,
      gate: { ...gate, passed: verdict.passed },
    },
    blocked: { image: `${releaseRepo}:${vulnerableRelease}`, passed: blocked.gate.passed, reasons: blocked.gate.reasons },
    login: { registry: login.registry },
    pullSecret: { namespace: secret.object.metadata.namespace, name: secret.object.metadata.name },
    replication: { complete: replication.complete, regions: replication.regions.map((r) => ({ region: r.region, status: r.status })) },
    elapsedMs,
  };
  out.result(summary, () => summaryText(out, summary, elapsedMs, ecrkit));
}

function summaryText(
  out: Output,
  s: {
    repositories: (string | undefined)[];
    images: Record<string, number>;
    multiArch: { platforms: string[]; arm64Digest: string };
    scan: { image: string; counts: Record<string, number>; gate: { passed: boolean } };
    blocked: { image: string; passed: boolean };
    login: { registry: string };
    replication: { complete: boolean; regions: { region: string; status: string }[] };
  },
  elapsedMs: number,
  ecrkit: string,
): string {
  const total = Object.values(s.images).reduce((a, b) => a + b, 0);
  return (
    `\n${out.colors.bold('Summary')}\n` +
    out.fields([
      ['Repositories', `${s.repositories.length} (${s.repositories.join(', ')}), ${total} images`],
      ['Multi-arch', `${s.multiArch.platforms.length} platforms; ${arm64} is ${shortDigest(s.multiArch.arm64Digest)}`],
      [
        'Scan gate',
        `${s.scan.image} ${s.scan.gate.passed ? out.colors.green('passed') : out.colors.red('failed')} (${severityCounts(s.scan.counts)}); ${s.blocked.image} ${s.blocked.passed ? 'passed' : out.colors.red('blocked')}`,
      ],
      ['Docker login', `${s.login.registry} (password via stdin only)`],
      [
        'Replication',
        `${s.replication.complete ? out.colors.green('complete') : out.colors.red('incomplete')} in ${s.replication.regions.map((r) => r.region).join(', ')}`,
      ],
      ['Time', formatDuration(elapsedMs)],
    ]) +
    out.colors.dim(
      '\nNext: the same commands work on a persistent simulation (state in .ecrkit/sim-state.json) and on AWS:\n' +
        `  ${ecrkit} repos | ${ecrkit} images web-app | ${ecrkit} scan web-app v1.2.0 --wait --max-critical 0\n` +
        `  ${ecrkit} --target aws --region eu-west-1 repos     ${ecrkit} --help for everything\n`,
    )
  );
}
