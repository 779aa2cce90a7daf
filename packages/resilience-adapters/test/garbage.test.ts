import { describeGarbageArguments } from '@ecrkit/test-utils';
import * as exported from '../src/index.js';

describeGarbageArguments('@ecrkit/resilience-adapters', exported);
