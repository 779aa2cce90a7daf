import { SimulatedRegistry } from '../src/index.js';

/** Repository names of the benchmark and their sizes. */
export const repositorySizes = { small: 20, medium: 1_000, large: 10_000 } as const;

/** A registry with the given repositories, each filled with single-arch tagged images. */
export function buildRegistry(sizes: Partial<Record<keyof typeof repositorySizes, number>>): SimulatedRegistry {
  const registry = new SimulatedRegistry();
  for (const [name, count] of Object.entries(sizes)) {
    registry.withRepository(name);
    for (let i = 0; i < count; i++) registry.withImage(name, { tags: [`v${i}`] });
  }
  return registry;
}
