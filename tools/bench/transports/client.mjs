// One benchmark client in its own process (so its RSS is its own), from the BUILT packages.
// Usage: node client.mjs <kind> <url> <concurrency> <warmupMs>
// Kinds: sdk, sigv4, undici (the floor), undici-noparse, undici-pool, http.
// Warms up, prints `ready`, then for each `run <ms>` line on stdin runs that long and prints
// { ops, opsPerSec }; on `exit` prints { p50Ms, p99Ms, maxRssMiB } over all runs and exits.
// The parent runs every client's rounds in turn, so that drifting machine load hits all alike.
import { createInterface } from 'node:readline';
import { makeClient } from './clients.mjs';

const [kind, url, concurrencyText, warmupText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);

const { send, close } = await makeClient(kind, url);
const first = await send();
if (kind !== 'undici-noparse' && first.imageDetails?.length !== 20) throw new Error(`${kind}: unexpected first response`);

const latencies = [];
async function phase(ms, record) {
  let ops = 0;
  const stopAt = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < stopAt) {
        const t0 = performance.now();
        await send();
        if (record) latencies.push(performance.now() - t0);
        ops++;
      }
    }),
  );
  return ops;
}

await phase(Number(warmupText), false);
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.trim().split(' ');
  if (command === 'run') {
    const started = performance.now();
    const ops = await phase(Number(arg), true);
    process.stdout.write(`${JSON.stringify({ ops, opsPerSec: ops / ((performance.now() - started) / 1000) })}\n`);
  } else if (command === 'exit') {
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    await close();
    process.stdout.write(`${JSON.stringify({ p50Ms: pct(50), p99Ms: pct(99), maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
    process.exit(0);
  }
}
