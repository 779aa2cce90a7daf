// The server side of the registry benchmark, in its own process so its memory is measured alone:
// a simulation with a state file (blobs in the content-addressed folder beside it) and empty
// repositories bench/run-1..N. Prints `{ url, pid }` as one JSON line once it listens.
import { runSimulationServer } from '@ecrkit/simulation';

const [statePath = 'state.json', count = '3'] = process.argv.slice(2);
const running = await runSimulationServer({
  port: 0,
  statePath,
  seed: { version: 1, repositories: Array.from({ length: Number(count) }, (_, i) => ({ name: `bench/run-${i + 1}` })) },
  stopOnSignals: ['SIGTERM', 'SIGINT'],
});
process.stdout.write(`${JSON.stringify({ url: running.url, pid: process.pid })}\n`);
await running.stopped;
