import type { Command } from 'commander';
import type { SimilarImage, SimilarImages } from '@ecrkit/services';
import type { App } from '../App.js';
import { parseCount, parseList } from '../internal/args.js';
import type { SimilarOutput } from '../CliOutputs.js';
import { formatDate, formatTags, shortDigest } from '../internal/format.js';
import type { Output } from '../Output.js';
import { severities } from '@ecrkit/core-types';

/** `similar <repo> <ref>`: images across repositories that share layers with this one. */
export function registerSimilarCommand(program: Command, app: App): void {
  program
    .command('similar')
    .description('List images, across repositories, that share layers with this one (those built on the same base first)')
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest')
    .option('-n, --limit <n>', 'how many images to list', parseCount, 10)
    .option('--repos <list>', 'only search these repositories, comma-separated (default: all)', parseList)
    .addHelpText(
      'after',
      `
Examples:
  $ ecrkit similar web-app v1.2.0                 which images share base layers with this release?
  $ ecrkit similar web-app v1.0.0 --limit 3 -o json
  $ ecrkit similar web-app v1.2.0 --query 'similar[].[repositoryName, imageDigest, sharedLayerCount]' --output text

Every image's layer set is embedded (b-bit MinHash over layer digests) in an in-memory vector
store, which proposes candidates; they are ranked by the number of layers they share, then by
Jaccard similarity. An image built on a vulnerable base finds every other image on that base.`,
    )
    .action(
      app.action<{ limit: number; repos?: string[] }>(async ({ opts, out, client, about, signal }, repo, ref) => {
        about({ repository: repo, reference: ref });
        const result = await (await client()).images.findSimilar(repo!, ref!, {
          signal,
          limit: Math.max(1, opts.limit),
          ...(opts.repos ? { repositories: opts.repos } : {}),
        });
        out.result('similar', similarJson(result), () => similarText(out, ref!, result));
      }),
    );
}

function scanCell(out: Output, s: SimilarImage): string {
  const counts = severities.filter((sev) => (s.severityCounts[sev] ?? 0) > 0).map((sev) => `${s.severityCounts[sev]} ${sev.toLowerCase()}`);
  if (counts.length === 0) return out.colors.dim('-');
  const text = counts.join(', ');
  return (s.severityCounts.CRITICAL ?? 0) > 0 ? out.colors.red(text) : text;
}

function similarText(out: Output, ref: string, r: SimilarImages): string {
  const head = `${r.repositoryName}:${ref} (${shortDigest(r.imageDigest)}, ${r.layers} layer${r.layers === 1 ? '' : 's'})`;
  if (r.similar.length === 0) return `${head}: no other image shares a layer with it.\n`;
  return `${head}: images sharing layers, most shared first\n${out.table(r.similar, [
    { header: 'REPOSITORY', cell: (s) => out.colors.bold(s.repositoryName) },
    { header: 'TAGS', cell: (s) => formatTags(s.imageTags) },
    { header: 'DIGEST', cell: (s) => shortDigest(s.imageDigest) },
    { header: 'SHARED', cell: (s) => `${s.sharedLayers}/${s.layers}`, align: 'right' },
    { header: 'SIMILARITY', cell: (s) => s.similarity.toFixed(2), align: 'right' },
    { header: 'FINDINGS', cell: (s) => scanCell(out, s) },
    { header: 'PUSHED', cell: (s) => formatDate(s.imagePushedAt) },
  ])}`;
}

function similarJson(r: SimilarImages): SimilarOutput {
  return {
    repositoryName: r.repositoryName,
    imageDigest: r.imageDigest,
    imageTags: r.imageTags,
    layerCount: r.layers,
    similar: r.similar.map((s) => ({
      registryId: s.registryId,
      repositoryName: s.repositoryName,
      imageDigest: s.imageDigest,
      imageTags: s.imageTags,
      ...(s.imagePushedAt ? { imagePushedAt: s.imagePushedAt } : {}),
      imageScanFindingsSummary: { findingSeverityCounts: s.severityCounts },
      sharedLayerCount: s.sharedLayers,
      layerCount: s.layers,
      similarity: Number(s.similarity.toFixed(4)),
    })),
  };
}
