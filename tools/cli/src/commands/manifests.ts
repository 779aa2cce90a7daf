import type { Command } from 'commander';
import {
  formatPlatform,
  isEcrError,
  parseManifest,
  type ImageConfig,
  type ImageManifest,
  type LayerFailureCode,
  type ManifestList,
  type ParsedManifest,
} from '@ecrkit/core-types';
import type { App } from '../App.js';
import { CliError } from '../CliError.js';
import type { ImageConfigOutput, ManifestDocument } from '../CliOutputs.js';
import { ExitCode } from '../exitCodes.js';
import { formatBytes, formatDate, shortDigest } from '../internal/format.js';
import type { Output } from '../Output.js';

const platformHelp = 'for a multi-platform index: the platform, os/arch[/variant] (e.g. linux/arm64/v8)';

/** `manifest`, `config` and `layers`. */
export function registerManifestCommands(program: Command, app: App): void {
  program
    .command('manifest')
    .description("Show an image's manifest, or a multi-platform index and its platforms; --platform resolves one platform's manifest")
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest')
    .option('-p, --platform <platform>', platformHelp)
    .option('--raw', 'print the manifest document exactly as stored (digest-verified)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit manifest api-service latest                           the index and its platforms\n  $ ecrkit manifest api-service latest --platform linux/arm64/v8  the arm64 manifest\n  $ ecrkit manifest web-app v1.2.0 --raw > manifest.json          the exact bytes',
    )
    .action(
      app.action<{ platform?: string; raw?: boolean }>(async ({ opts, out, client, about, signal }, repo, ref) => {
        about({ repository: repo, reference: ref });
        const c = await client();
        let digest: string;
        let mediaType: string;
        let manifest: ParsedManifest;
        let text: string;
        if (opts.platform) {
          const child = await c.manifests.getPlatformManifest(repo!, ref!, opts.platform, { signal }).catch((error: unknown) => {
            if (isEcrError(error) && error.kind === 'InvalidParameter' && error.field === 'imageId') {
              throw new CliError(`${repo}:${ref} is a single-platform image, not a multi-platform index`, {
                exitCode: ExitCode.Usage,
                hint: `Run \`ecrkit manifest ${repo} ${ref}\` without --platform.`,
                cause: error,
              });
            }
            throw error;
          });
          ({ digest, mediaType, manifest } = child);
          text = (await c.images.get(repo!, digest, { signal })).manifest;
        } else {
          const image = await c.images.get(repo!, ref!, { signal });
          ({ digest, mediaType } = image);
          text = image.manifest;
          manifest = parseManifest(image.manifest, image.mediaType);
        }
        if (opts.raw) {
          out.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
          return;
        }
        const data = {
          ...(c.config.registryId ? { registryId: c.config.registryId } : {}),
          repositoryName: repo!,
          imageId: opts.platform || ref!.startsWith('sha256:') ? { imageDigest: digest } : { imageDigest: digest, imageTag: ref! },
          imageManifestMediaType: mediaType,
          // Digest-verified text; the document as stored, with the spec's field names.
          manifest: JSON.parse(text) as ManifestDocument,
        };
        out.result('manifest', data, () =>
          manifest.kind === 'index' ? indexText(out, repo!, ref!, digest, mediaType, manifest) : manifestText(out, digest, mediaType, manifest, opts.platform),
        );
      }),
    );

  program
    .command('config')
    .description("Show an image's configuration: platform, entrypoint, command, environment, labels, history")
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest')
    .option('-p, --platform <platform>', platformHelp)
    .addHelpText('after', '\nExamples:\n  $ ecrkit config web-app v1.2.0\n  $ ecrkit config api-service latest --platform linux/amd64 --output json')
    .action(
      app.action<{ platform?: string }>(async ({ opts, out, client, about, signal }, repo, ref) => {
        about({ repository: repo, reference: ref });
        const config = await withPlatformHint(repo!, ref!, () =>
          client().then((c) => c.manifests.getImageConfig(repo!, ref!, { signal, ...(opts.platform ? { platform: opts.platform } : {}) })),
        );
        const inner = (config.config ?? {}) as Record<string, unknown>;
        out.result('config', imageConfigDocument(config), () =>
          out.fields([
            ['Platform', formatPlatform({ os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) })],
            ['Created', config.created ? formatDate(config.created) : undefined],
            ['Entrypoint', listText(inner.Entrypoint)],
            ['Command', listText(inner.Cmd)],
            ['Working dir', typeof inner.WorkingDir === 'string' && inner.WorkingDir ? inner.WorkingDir : undefined],
            ['User', typeof inner.User === 'string' && inner.User ? inner.User : undefined],
            ['Ports', inner.ExposedPorts && typeof inner.ExposedPorts === 'object' ? Object.keys(inner.ExposedPorts).join(', ') : undefined],
            ['Environment', Array.isArray(inner.Env) ? inner.Env.join('\n') : undefined],
            [
              'Labels',
              inner.Labels && typeof inner.Labels === 'object'
                ? Object.entries(inner.Labels as Record<string, unknown>)
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join('\n')
                : undefined,
            ],
            ['Layers', String(config.rootfs?.diff_ids?.length ?? 0)],
            ['History', config.history ? `${config.history.length} steps` : undefined],
          ]),
        );
      }),
    );

  program
    .command('layers')
    .description("List an image's layers with sizes and whether the registry holds them")
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest')
    .option('-p, --platform <platform>', platformHelp)
    .addHelpText('after', '\nExamples:\n  $ ecrkit layers web-app v1.2.0\n  $ ecrkit layers api-service latest --platform linux/arm64/v8 --output json')
    .action(
      app.action<{ platform?: string }>(async ({ opts, out, client, about, signal }, repo, ref) => {
        about({ repository: repo, reference: ref });
        const layers = await withPlatformHint(repo!, ref!, () =>
          client().then((c) => c.manifests.getLayers(repo!, ref!, { signal, ...(opts.platform ? { platform: opts.platform } : {}) })),
        );
        const total = layers.reduce((sum, l) => sum + l.size, 0);
        out.result(
          'layers',
          {
            layers: layers.flatMap((l) =>
              l.availability ? [{ layerDigest: l.digest, layerAvailability: l.availability, layerSize: l.registrySize ?? l.size, mediaType: l.mediaType }] : [],
            ),
            failures: layers.flatMap((l) =>
              l.availability ? [] : [{ layerDigest: l.digest, ...(l.failureCode ? { failureCode: l.failureCode as LayerFailureCode } : {}) }],
            ),
          },
          () =>
            `${out.table(
              layers.map((l, i) => ({ ...l, n: i + 1 })),
              [
                { header: '#', cell: (l) => String(l.n), align: 'right' },
                { header: 'DIGEST', cell: (l) => shortDigest(l.digest) },
                { header: 'SIZE', cell: (l) => formatBytes(l.size), align: 'right' },
                {
                  header: 'AVAILABILITY',
                  cell: (l) =>
                    l.availability === 'AVAILABLE'
                      ? out.colors.green('available')
                      : out.colors.red((l.failureCode ?? l.availability ?? 'unknown').toLowerCase()),
                },
                { header: 'MEDIA TYPE', cell: (l) => l.mediaType },
              ],
            )}${layers.length} layer${layers.length === 1 ? '' : 's'}, ${formatBytes(total)} compressed.\n`,
        );
      }),
    );
}

/** A multi-platform index met without --platform: say which flag to add, not the API's option name. */
async function withPlatformHint<T>(repo: string, ref: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isEcrError(error) && error.kind === 'InvalidParameter' && error.field === 'platform') {
      throw new CliError(`${repo}:${ref} is a multi-platform index; choose a platform with --platform os/arch[/variant]`, {
        exitCode: ExitCode.Usage,
        hint: `Run \`ecrkit manifest ${repo} ${ref}\` to list its platforms.`,
        cause: error,
      });
    }
    throw error;
  }
}

function indexText(out: Output, repo: string, ref: string, digest: string, mediaType: string, index: ManifestList): string {
  return (
    out.fields([
      ['Digest', digest],
      ['Media type', mediaType],
      ['Kind', `multi-platform index (${index.manifests.length} manifests)`],
    ]) +
    '\n' +
    out.table(index.manifests, [
      {
        header: 'PLATFORM',
        cell: (m) => (m.platform ? out.colors.bold(formatPlatform(m.platform)) : out.colors.dim(m.annotations?.['vnd.docker.reference.type'] ?? 'unknown')),
      },
      { header: 'DIGEST', cell: (m) => m.digest },
      { header: 'SIZE', cell: (m) => formatBytes(m.size), align: 'right' },
    ]) +
    out.colors.dim(`Resolve one with \`ecrkit manifest ${repo} ${ref} --platform <os/arch[/variant]>\`.\n`)
  );
}

function manifestText(out: Output, digest: string, mediaType: string, m: ImageManifest, platform: string | undefined): string {
  const total = m.layers.reduce((sum, l) => sum + l.size, 0);
  return (
    out.fields([
      ['Digest', digest],
      ['Media type', mediaType],
      ['Platform', platform],
      ['Config', `${shortDigest(m.config.digest)} (${formatBytes(m.config.size)})`],
      ['Layers', `${m.layers.length}, ${formatBytes(total)} compressed`],
      ['Subject', m.subject ? m.subject.digest : undefined],
    ]) +
    '\n' +
    out.table(m.layers, [
      { header: 'LAYER', cell: (l) => l.digest },
      { header: 'SIZE', cell: (l) => formatBytes(l.size), align: 'right' },
    ])
  );
}

/** The parsed configuration under the image spec's field names (`os.version`, `os.features`). */
function imageConfigDocument(config: ImageConfig): ImageConfigOutput {
  const { osVersion, osFeatures, ...rest } = config;
  return { ...rest, ...(osVersion !== undefined ? { 'os.version': osVersion } : {}), ...(osFeatures !== undefined ? { 'os.features': osFeatures } : {}) };
}

function listText(value: unknown): string | undefined {
  if (Array.isArray(value) && value.length > 0) return value.map((v) => (/\s/.test(String(v)) ? JSON.stringify(String(v)) : String(v))).join(' ');
  return undefined;
}
