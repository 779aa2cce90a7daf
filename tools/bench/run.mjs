// `npm run bench -- [suite...]`: runs benchmark suites from source, one after another, each in
// its own process so their memory and JIT state don't mix. Suites: simulation, transports, resilience, registry (needs skopeo).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('../..', import.meta.url).pathname;
const suites = {
  simulation: 'packages/simulation/bench/simulation.bench.ts',
  transports: 'tools/bench/transports/transports.bench.ts',
  resilience: 'tools/bench/resilience/resilience.bench.ts',
  registry: 'tools/bench/registry/registry.bench.ts',
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`Unknown benchmark suite: ${unknown.join(', ')}. Available: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const name of requested.length > 0 ? requested : Object.keys(suites)) {
  const file = suites[name];
  if (!existsSync(root + file)) {
    console.error(`${name}: ${file} is missing`);
    failed = true;
    continue;
  }
  console.log(`\n=== ${name} (${file}) ===`);
  const r = spawnSync(process.execPath, ['--conditions=@ecrkit/source', '--import', 'tsx', '--expose-gc', file], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
