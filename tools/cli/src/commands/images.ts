import { Option, type Command } from 'commander';
import { EcrError, isEcrError, MediaType, scanStateOf, severities, type ImageDetail, type ImageIdentifier } from '@ecrkit/core-types';
import type { App } from '../App.js';
import type { ImagesOutput } from '../CliOutputs.js';
import { ExitCode } from '../exitCodes.js';
import { formatBytes, formatDate, formatTags, shortDigest } from '../internal/format.js';
import type { Output } from '../Output.js';

/** `images`, `describe`, `tag`, `untag` and `delete`. */
export function registerImageCommands(program: Command, app: App): void {
  program
    .command('images')
    .description('List the images of a repository, newest first')
    .argument('<repo>', 'repository name')
    .addOption(new Option('--tagged', 'only tagged images').conflicts('untagged'))
    .addOption(new Option('--untagged', 'only untagged images').conflicts('tagged'))
    .addHelpText(
      'after',
      "\nExamples:\n  $ ecrkit images web-app\n  $ ecrkit images worker --untagged --output json\n  $ ecrkit images web-app --query 'imageDetails[?imageScanFindingsSummary.findingSeverityCounts.CRITICAL].imageTags[]' --output text",
    )
    .action(
      app.action<{ tagged?: boolean; untagged?: boolean }>(async ({ opts, out, client, about, signal }, repo) => {
        about({ repository: repo });
        const tagStatus = opts.tagged ? 'TAGGED' : opts.untagged ? 'UNTAGGED' : undefined;
        const imageDetails = sortNewestFirst(
          await (await client()).images.describe(repo!, undefined, { signal, ...(tagStatus ? { tagStatus } : {}) }).toArray(),
        );
        const data: ImagesOutput = { imageDetails };
        out.result('images', data, () =>
          imageDetails.length === 0 ? `No ${tagStatus ? `${tagStatus.toLowerCase()} ` : ''}images in ${repo}.\n` : imagesTable(out, data),
        );
      }),
    );

  program
    .command('describe')
    .description('Show one image: digest, tags, size, media type, scan status and findings summary')
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest (sha256:...)')
    .addHelpText(
      'after',
      "\nExamples:\n  $ ecrkit describe web-app v1.2.0\n  $ ecrkit describe web-app latest --query 'imageDetails[0].imageDigest' --output text",
    )
    .action(
      app.action(async ({ out, client, about, signal }, repo, ref) => {
        about({ repository: repo, reference: ref });
        const [detail] = await (await client()).images.describe(repo!, [ref!], { signal }).toArray();
        if (!detail) throw notFound(repo!, ref!);
        out.result('describe', { imageDetails: [detail] }, () => {
          const counts = detail.imageScanFindingsSummary?.findingSeverityCounts;
          const index = isIndex(detail.imageManifestMediaType);
          return (
            out.fields([
              ['Repository', detail.repositoryName ?? repo],
              ['Digest', detail.imageDigest],
              ['Tags', formatTags(detail.imageTags)],
              ['Type', kindOf(detail.imageManifestMediaType)],
              ['Media type', detail.imageManifestMediaType],
              ['Artifact type', detail.artifactMediaType],
              ['Size', formatBytes(detail.imageSizeInBytes)],
              ['Pushed', formatDate(detail.imagePushedAt)],
              ['Last pulled', detail.lastRecordedPullTime ? formatDate(detail.lastRecordedPullTime) : undefined],
              ['Scan', scanCell(out, detail)],
              ['Findings', counts ? severityCounts(counts) : undefined],
            ]) + (index ? out.colors.dim(`\nA multi-platform index: \`ecrkit manifest ${repo} ${ref}\` lists its platforms.\n`) : '')
          );
        });
      }),
    );

  program
    .command('tag')
    .description('Add a tag to an existing image (the manifest is put back under the new tag, as ECR re-tags)')
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest of the image to tag')
    .argument('<new-tag>', 'the tag to add')
    .addHelpText('after', '\nExamples:\n  $ ecrkit tag web-app v1.2.0 stable\n  $ ecrkit tag worker 2025.01.2 stable --output json')
    .action(
      app.action(
        async ({ out, client, about, signal }, repo, ref, newTag) => {
          about({ repository: repo, reference: ref });
          const c = await client();
          const result = await c.images.putTag(repo!, ref!, newTag!, { signal });
          const image = {
            ...(c.config.registryId ? { registryId: c.config.registryId } : {}),
            repositoryName: repo!,
            imageId: { imageDigest: result.imageDigest, imageTag: result.imageTag },
          };
          out.result('tag', { image, changed: result.changed }, () =>
            result.changed
              ? `Tagged ${repo}@${shortDigest(result.imageDigest)} as ${out.colors.bold(result.imageTag)}.\n`
              : `${repo}@${shortDigest(result.imageDigest)} already has the tag ${result.imageTag}; nothing changed.\n`,
          );
        },
        { mutating: true },
      ),
    );

  program
    .command('untag')
    .description("Remove a tag (as in ECR, removing an image's last tag deletes the image)")
    .argument('<repo>', 'repository name')
    .argument('<tag>', 'the tag to remove')
    .addHelpText('after', '\nExamples:\n  $ ecrkit untag web-app latest\n  $ ecrkit untag web-app v1.1.0 --output json     the last tag: the image goes too')
    .action(
      app.action(
        async ({ out, client, about, signal }, repo, tag) => {
          about({ repository: repo, reference: tag });
          const c = await client();
          const removed = await c.images.untag(repo!, tag!, { signal });
          const digest = removed.imageDigest;
          let imageDeleted = false;
          if (digest) {
            try {
              await c.images.describe(repo!, [{ imageDigest: digest }], { signal }).toArray();
            } catch (error) {
              if (!(isEcrError(error) && error.kind === 'ImageNotFound')) throw error;
              imageDeleted = true;
            }
          }
          out.result(
            'untag',
            { imageIds: [{ ...(digest ? { imageDigest: digest } : {}), imageTag: tag! }], failures: [], imageDeleted },
            () =>
              `Removed the tag ${out.colors.bold(tag!)} from ${repo}${digest ? `@${shortDigest(digest)}` : ''}.${imageDeleted ? ' It was the last tag, so the image was deleted.' : ''}\n`,
          );
        },
        { mutating: true },
      ),
    );

  program
    .command('delete')
    .description('Delete images by tag or digest (all their tags go with them)')
    .argument('<repo>', 'repository name')
    .argument('<ref...>', 'tags or digests')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit delete worker 2024.11.1\n  $ ecrkit delete web-app v1.0.0 v1.1.0 --output json\n\nExits 3 when any image was not found, 5 when any other deletion failed; the rest are still deleted.',
    )
    .action(
      app.action(
        async ({ out, client, about, signal }, repo, ...refs) => {
          about({ repository: repo });
          const result = await (await client()).images.batchDelete(repo!, refs, { signal });
          out.result('delete', { imageIds: result.deleted, failures: result.failures }, () => {
            let text = '';
            for (const id of result.deleted) text += `Deleted ${repo}${id.imageTag ? `:${id.imageTag}` : ''}@${shortDigest(id.imageDigest)}\n`;
            for (const f of result.failures)
              text += `${out.colors.red('Not deleted')} ${refOf(f.imageId)}: ${f.failureReason ?? f.failureCode ?? 'unknown failure'}\n`;
            return text;
          });
          if (result.failures.length === 0) return ExitCode.Ok;
          out.note(`${result.failures.length} of ${refs.length} could not be deleted.`);
          return result.failures.every((f) => f.failureCode === 'ImageNotFound') ? ExitCode.NotFound : ExitCode.Service;
        },
        { mutating: true },
      ),
    );
}

/** The `images` table (the demo prints it too). */
export function imagesTable(out: Output, data: ImagesOutput): string {
  return out.table(data.imageDetails, [
    { header: 'TAGS', cell: (i) => (i.imageTags?.length ? out.colors.bold(i.imageTags.join(',')) : out.colors.dim('<untagged>')) },
    { header: 'DIGEST', cell: (i) => shortDigest(i.imageDigest), minWidth: 19 },
    { header: 'TYPE', cell: (i) => kindOf(i.imageManifestMediaType) },
    { header: 'SIZE', cell: (i) => formatBytes(i.imageSizeInBytes), align: 'right' },
    { header: 'PUSHED', cell: (i) => formatDate(i.imagePushedAt) },
    { header: 'SCAN', cell: (i) => scanCell(out, i) },
  ]);
}

function sortNewestFirst(images: ImageDetail[]): ImageDetail[] {
  return [...images].sort(
    (a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0) || (a.imageDigest ?? '').localeCompare(b.imageDigest ?? ''),
  );
}

/** Whether a manifest media type is a multi-platform index. */
export function isIndex(mediaType: string | undefined): boolean {
  return mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList;
}

function kindOf(mediaType: string | undefined): string {
  if (mediaType === undefined) return '-';
  if (isIndex(mediaType)) return 'index';
  if (mediaType === MediaType.DockerManifest || mediaType === MediaType.OciManifest) return 'image';
  return mediaType;
}

/** `2 CRITICAL, 5 HIGH, ...` with ECR's severity names, UNDEFINED included (zero counts left out; `none` when all are zero). */
export function severityCounts(counts: Partial<Record<string, number>>): string {
  const parts = severities.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(', ') : 'none';
}

function scanCell(out: Output, i: ImageDetail): string {
  const status = i.imageScanStatus?.status;
  if (!status) return out.colors.dim('not scanned');
  if (scanStateOf(status) !== 'complete') return status.toLowerCase().replace(/_/g, ' ');
  const counts = i.imageScanFindingsSummary?.findingSeverityCounts ?? {};
  const text = severityCounts(counts);
  return (counts.CRITICAL ?? 0) > 0
    ? out.colors.red(text)
    : (counts.HIGH ?? 0) > 0
      ? out.colors.yellow(text)
      : out.colors.green(text === 'none' ? 'clean' : text);
}

function refOf(id: ImageIdentifier | undefined): string {
  return id?.imageTag ?? id?.imageDigest ?? '(unknown)';
}

function notFound(repo: string, ref: string): EcrError {
  return new EcrError({ kind: 'ImageNotFound', message: `The image ${ref} does not exist in the repository ${repo}` });
}
