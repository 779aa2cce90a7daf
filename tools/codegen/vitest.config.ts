import { packageTestConfig } from '../../vitest.shared.js';

// Plain JavaScript: the tests sit beside the generator as *.test.mjs and nothing is type-checked.
const shared = packageTestConfig();
export default { ...shared, test: { ...shared.test, include: ['*.test.mjs'], typecheck: { enabled: false } } };
