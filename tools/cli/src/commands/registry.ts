import { resolve } from 'node:path';
import type { Command } from 'commander';
import { copyImage, registryDestination, type CopyReport, type ImageDestination } from '@ecrkit/services';
import type { App, CommandContext } from '../App.js';
import { CliError } from '../CliError.js';
import { ExitCode } from '../exitCodes.js';
import { formatBytes, shortDigest } from '../internal/format.js';
import type { Output } from '../Output.js';
import { ociLayoutDestination } from '../registry/ociLayoutDestination.js';
import { openRegistry, type OpenContext } from '../registry/openRegistry.js';
import { parseRegistryReference, type RegistryReference } from '../registry/registryReference.js';

interface CopyOptions {
  srcRegion?: string;
  dstRegion?: string;
  referrers: boolean;
}

interface PullOptions {
  region?: string;
  referrers: boolean;
}

const referenceHelp =
  'References are <account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag][@digest] (also FIPS, dual-stack and China hosts), ' +
  'or host:port/<repo>[:tag][@digest] for a simulation (`ecrkit sim serve`), whose region comes from --src-region/--dst-region (or --region). ' +
  'ECR hosts go to AWS with --target aws, to --endpoint when given, and to the embedded simulation by default.';

/** `copy` and `pull`: the registry's OCI Distribution API, with ECR credentials from GetAuthorizationToken. */
export function registerRegistryCommands(program: Command, app: App): void {
  program
    .command('copy')
    .description(
      'Copy an image between repositories, regions and accounts of ECR and simulations (every platform and referrer; blobs already there are skipped)',
    )
    .argument('<src>', 'source image reference')
    .argument('<dst>', 'destination image reference (a tag, or the source digest)')
    .option('--src-region <region>', 'region of a host:port source (a simulation)')
    .option('--dst-region <region>', 'region of a host:port destination (a simulation)')
    .option('--no-referrers', 'do not copy the manifests that refer to the image (signatures, SBOMs)')
    .addHelpText(
      'after',
      `\n${referenceHelp}\n\nExamples:\n  $ ecrkit copy 123456789012.dkr.ecr.us-east-1.amazonaws.com/api-service:latest 123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:api-latest\n  $ ecrkit --endpoint http://127.0.0.1:4510 copy 123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app:v1.2.0 123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:web-v1.2.0 -o json\n\nBetween regions, accounts or servers the references say where (the destination repository must exist):\n  ecrkit copy 127.0.0.1:4510/web-app:v1 127.0.0.1:4511/web-app:v1\n  ecrkit copy 127.0.0.1:4510/web-app:v1 127.0.0.1:4510/web-app:v1 --src-region us-east-1 --dst-region eu-west-1\n  ecrkit --target aws copy 111111111111.dkr.ecr.us-east-1.amazonaws.com/app:v1 222222222222.dkr.ecr.eu-west-1.amazonaws.com/app:v1`,
    )
    .action(
      app.action<CopyOptions>(
        async (ctx, src, dst) => {
          const source = parseRegistryReference(src!);
          const destination = parseRegistryReference(dst!);
          ctx.about({ repository: source.repository, reference: source.tag ?? source.digest });
          const tag = destination.tag;
          if (destination.digest !== undefined && tag === undefined && source.digest !== undefined && destination.digest !== source.digest) {
            throw new CliError('The destination digest differs from the source digest; a copy keeps the digest', { exitCode: ExitCode.Usage });
          }
          return withRegistries(app, ctx, async (open) => {
            const from = await open(source, ctx.opts.srcRegion);
            const to = await open(destination, ctx.opts.dstRegion);
            const report = await copyImage(
              { client: from, repository: source.repository, reference: referenceOf(source) },
              registryDestination(to, destination.repository),
              {
                ...(tag !== undefined ? { tag } : {}),
                referrers: ctx.opts.referrers,
                signal: ctx.signal,
              },
            );
            printReport(ctx.out, 'copy', src!, dst!, report);
          });
        },
        { mutating: true },
      ),
    );

  program
    .command('pull')
    .description('Pull an image (every platform, with its referrers) into an OCI image layout directory')
    .argument('<ref>', 'image reference')
    .argument('<dir>', 'OCI image layout directory (created, or added to)')
    .option('--region <region>', 'region of a host:port reference (a simulation)')
    .option('--no-referrers', 'do not pull the manifests that refer to the image')
    .addHelpText(
      'after',
      `\n${referenceHelp}\n\nThe layout names the image by its tag (org.opencontainers.image.ref.name), so \`skopeo copy oci:<dir>:<tag> ...\` reads it.\nThe layout directory is a positional argument: --output is the global output format.\n\nExamples:\n  $ ecrkit pull 123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app:v1.2.0 ./web-app\n  $ ecrkit --endpoint http://127.0.0.1:4510 pull 123456789012.dkr.ecr.us-east-1.amazonaws.com/api-service:latest ./api-service -o json`,
    )
    .action(
      app.action<PullOptions>(
        async (ctx, ref, dir) => {
          const source = parseRegistryReference(ref!);
          ctx.about({ repository: source.repository, reference: source.tag ?? source.digest });
          const layout: ImageDestination = ociLayoutDestination(resolve(app.io.cwd, dir!));
          return withRegistries(app, ctx, async (open) => {
            const from = await open(source, ctx.opts.region ?? ctx.globals.region);
            const report = await copyImage({ client: from, repository: source.repository, reference: referenceOf(source) }, layout, {
              ...(source.tag !== undefined ? { tag: source.tag } : {}),
              referrers: ctx.opts.referrers,
              signal: ctx.signal,
            });
            printReport(ctx.out, 'pull', ref!, `oci:${dir}${source.tag ? `:${source.tag}` : ''}`, report);
          });
          // A pull records lastRecordedPullTime, which the embedded simulation's state file keeps.
        },
        { mutating: true },
      ),
    );
}

/** The tag or digest to read; a reference with both reads the digest (the tag is then only a name). */
function referenceOf(ref: RegistryReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

async function withRegistries<Opts>(
  app: App,
  ctx: CommandContext<Opts>,
  run: (open: (ref: RegistryReference, region: string | undefined) => ReturnType<typeof openRegistry>) => Promise<void>,
): Promise<void> {
  const openContext: OpenContext = { globals: ctx.globals, io: app.io, session: ctx.session, closers: [] };
  try {
    await run((ref, region) => openRegistry(ref, region !== undefined ? { region } : {}, openContext));
  } finally {
    for (const close of openContext.closers) await close().catch(() => undefined);
  }
}

function printReport(out: Output, name: 'copy' | 'pull', from: string, to: string, report: CopyReport): void {
  const copied = report.blobs.filter((b) => b.outcome === 'copied');
  const mounted = report.blobs.filter((b) => b.outcome === 'mounted');
  const present = report.blobs.filter((b) => b.outcome === 'skipped');
  out.result(name, { source: from, destination: to, ...report }, () => {
    const lines = [
      `${from} -> ${to}`,
      out.fields([
        ['digest', report.digest],
        ['media type', report.mediaType],
        ['manifests', `${report.manifests.length - report.skipped.manifests} copied, ${report.skipped.manifests} already there`],
        [
          'blobs',
          `${copied.length} copied (${formatBytes(report.copiedBytes)}), ${mounted.length} mounted, ${present.length} already there (${formatBytes(present.reduce((n, b) => n + b.size, 0))})`,
        ],
        ...(report.referrersSupported ? [] : [['referrers', 'not offered by the source registry; none copied'] as const]),
      ]),
      out.table(report.manifests, [
        { header: 'MANIFEST', cell: (m) => shortDigest(m.digest) },
        { header: 'ROLE', cell: (m) => m.role },
        { header: 'PLATFORM/ARTIFACT', cell: (m) => m.platform ?? m.artifactType ?? '-' },
        { header: 'OUTCOME', cell: (m) => (m.outcome === 'skipped' ? 'skipped (already there)' : 'copied') },
      ]),
    ];
    return `${lines.join('\n')}\n`;
  });
}
