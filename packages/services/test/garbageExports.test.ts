import { describeGarbageArguments } from '@ecrkit/test-utils';
import * as exported from '../src/index.js';

describeGarbageArguments('@ecrkit/services', exported);
