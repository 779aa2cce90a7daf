// `npm start`: build what the CLI needs (nx caches it), then run `ecrkit demo` on the embedded simulation.
import { execFileSync, spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env, NX_DAEMON: 'false' };
const cli = new URL('./cli/dist/bin.js', import.meta.url).pathname;
execFileSync('npx', ['nx', 'run', '@ecrkit/cli:build', '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
const args = process.argv.slice(2);
const result = spawnSync(process.execPath, [cli, ...(args.length ? args : ['demo'])], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
