// A state-file writer for the durability suite: opens <state> with a tiny compaction threshold (so
// the file is rewritten every few saves), then pushes an image tagged w<n>, saves, and prints
// `acked w<n>` once the save returned, until killed.
// Usage: stateWriter.ts <state>
import { StateFile } from '../../src/index.js';

const file = await StateFile.open(process.argv[2]!, { compactAtBytes: 2048 });
for (let i = 0; ; i++) {
  file.registry.addImage('app', { tags: [`w${process.pid}-${i}`], layers: 1, layerSize: 64 });
  await file.save();
  process.stdout.write(`acked w${process.pid}-${i}\n`);
}
