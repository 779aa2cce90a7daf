#!/usr/bin/env node
// The `ecrkit-sim` executable: process wiring only; behaviour lives in main.ts.
import { main } from './main.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());
process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
