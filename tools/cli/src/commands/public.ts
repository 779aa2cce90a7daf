import type { Command } from 'commander';
import type { App } from '../App.js';
import { formatBytes, formatDate, shortDigest } from '../internal/format.js';
import { orNone } from './repositories.js';

/** `public repos`, `public repo <name>` and `public images <repo>` (ECR Public, always us-east-1). */
export function registerPublicCommands(program: Command, app: App): void {
  const pub = program.command('public').description('Amazon ECR Public: your public repositories and their images');

  pub
    .command('repos')
    .description('List your public repositories')
    .addHelpText('after', '\nExamples:\n  $ ecrkit public repos\n  $ ecrkit public repos --output json')
    .action(
      app.action(async ({ out, client, signal }) => {
        const repos = await (await client()).public.listRepositories({ signal }).toArray();
        out.result('public repos', { repositories: repos }, () =>
          repos.length === 0
            ? 'No public repositories.\n'
            : out.table(repos, [
                { header: 'NAME', cell: (r) => out.colors.bold(r.repositoryName ?? '-') },
                { header: 'URI', cell: (r) => r.repositoryUri ?? '-' },
                { header: 'CREATED', cell: (r) => formatDate(r.createdAt) },
              ]),
        );
      }),
    );

  pub
    .command('repo')
    .description('Show one public repository with its catalog data')
    .argument('<name>', 'public repository name')
    .addHelpText('after', '\nExamples:\n  $ ecrkit public repo hello-world\n  $ ecrkit public repo hello-world --query catalogData.aboutText --output text')
    .action(
      app.action(async ({ out, client, about, signal }, name) => {
        about({ repository: name });
        const c = await client();
        const repo = await c.public.getRepository(name!, { signal });
        const catalog = await orNone(c.public.getCatalogData(name!, { signal }), 'RepositoryCatalogDataNotFound');
        out.result('public repo', { repository: repo, ...(catalog ? { catalogData: catalog } : {}) }, () =>
          out.fields([
            ['Name', out.colors.bold(repo.repositoryName ?? name!)],
            ['URI', repo.repositoryUri],
            ['ARN', repo.repositoryArn],
            ['Created', formatDate(repo.createdAt)],
            ['Description', catalog?.description],
            ['Architectures', catalog?.architectures?.join(', ')],
            ['Operating systems', catalog?.operatingSystems?.join(', ')],
            ['About', catalog?.aboutText],
            ['Usage', catalog?.usageText],
          ]),
        );
      }),
    );

  pub
    .command('images')
    .description('List the images of a public repository, newest first')
    .argument('<repo>', 'public repository name')
    .addHelpText('after', '\nExamples:\n  $ ecrkit public images hello-world\n  $ ecrkit public images hello-world --output json')
    .action(
      app.action(async ({ out, client, about, signal }, repo) => {
        about({ repository: repo });
        const images = (await (await client()).public.listImages(repo!, { signal }).toArray()).sort(
          (a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0),
        );
        out.result('public images', { imageDetails: images }, () =>
          images.length === 0
            ? `No images in ${repo}.\n`
            : out.table(images, [
                { header: 'TAGS', cell: (i) => (i.imageTags?.length ? out.colors.bold(i.imageTags.join(',')) : out.colors.dim('<untagged>')) },
                { header: 'DIGEST', cell: (i) => shortDigest(i.imageDigest) },
                { header: 'SIZE', cell: (i) => formatBytes(i.imageSizeInBytes), align: 'right' },
                { header: 'PUSHED', cell: (i) => formatDate(i.imagePushedAt) },
              ]),
        );
      }),
    );
}
