import type { Command } from 'commander';
import type { App } from '../App.js';
import type { ReferrersOutput } from '../CliOutputs.js';
import { formatBytes, shortDigest } from '../internal/format.js';

/** `referrers <repo> <ref>`: the signatures, SBOMs and attestations that refer to an image. */
export function registerReferrersCommand(program: Command, app: App): void {
  program
    .command('referrers')
    .description('List the artifacts that refer to an image (signatures, SBOMs, attestations), by ListImageReferrers')
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest (sha256:...) of the subject image')
    .option('--artifact-type <type...>', 'only these artifact types (up to 5), e.g. application/spdx+json')
    .option('--archived', 'include archived and restoring referrers (artifactStatus ANY)')
    .addHelpText(
      'after',
      "\nExamples:\n  $ ecrkit referrers web-app v1.2.0\n  $ ecrkit referrers web-app v1.2.0 --artifact-type application/vnd.cncf.notary.signature --output json\n  $ ecrkit referrers web-app v1.2.0 --query 'referrers[].digest' --output text",
    )
    .action(
      app.action<{ artifactType?: string[]; archived?: boolean }>(async ({ opts, out, client, about, signal }, repo, ref) => {
        about({ repository: repo, reference: ref });
        const referrers = await (await client()).referrers
          .list(repo!, ref!, {
            signal,
            ...(opts.artifactType ? { artifactTypes: opts.artifactType } : {}),
            ...(opts.archived ? { artifactStatus: 'ANY' as const } : {}),
          })
          .toArray();
        const data: ReferrersOutput = { referrers };
        out.result('referrers', data, () =>
          referrers.length === 0
            ? `No referrers of ${repo}:${ref}${opts.artifactType ? ` of type ${opts.artifactType.join(', ')}` : ''}.\n`
            : out.table(referrers, [
                { header: 'ARTIFACT TYPE', cell: (r) => out.colors.bold(r.artifactType ?? '-') },
                { header: 'DIGEST', cell: (r) => shortDigest(r.digest) },
                { header: 'SIZE', cell: (r) => formatBytes(r.size), align: 'right' },
                { header: 'STATUS', cell: (r) => r.artifactStatus ?? '-' },
              ]),
        );
      }),
    );
}
