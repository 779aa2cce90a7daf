#!/usr/bin/env node
// The `ecrkit-sim` executable: behaviour lives in main.ts (runSimulationServer stops on SIGINT/SIGTERM).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
