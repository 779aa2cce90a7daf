// Cold start in a fresh process, from the BUILT packages: import, construct, one DescribeImages.
// Usage: node cold.mjs <kind> <url>; kinds: bare, sdk, sigv4, undici, undici-pool, http.
// Prints the milliseconds since the process started at which the first response was in hand
// (for `bare`: at which the script began).
const [kind, url] = process.argv.slice(2);
if (kind === 'bare') {
  process.stdout.write(`${performance.now()}\n`);
  process.exit(0);
}
const { send } = await (await import('./clients.mjs')).makeClient(kind, url);
const out = await send();
const at = performance.now();
if (out.imageDetails?.length !== 20) throw new Error('unexpected response');
process.stdout.write(`${at}\n`);
process.exit(0);
