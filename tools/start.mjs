// `npm start [-- <command>]`: rebuilds the CLI's bin from the current sources (esbuild, well under a
// second; `npm ci` did the same in the CLI's `prepare` step, which is what `npx ecrkit` runs) and
// runs `ecrkit demo` on the embedded simulation, or the given command.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('./cli/', import.meta.url));
const build = spawnSync(process.execPath, [fileURLToPath(new URL('./build/build.mjs', import.meta.url)), '--bins-only'], { cwd: cliDir, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const args = process.argv.slice(2);
const result = spawnSync(process.execPath, [`${cliDir}dist/bin.js`, ...(args.length > 0 ? args : ['demo'])], { stdio: 'inherit' });
process.exit(result.status ?? 1);
