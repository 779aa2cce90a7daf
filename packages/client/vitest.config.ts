import { packageTestConfig } from '../../vitest.shared.js';

// Isolated test files: oneDecisionPerCall.test.ts wraps core-types' operation table with
// vi.mock, which needs a module graph of its own.
export default packageTestConfig();
