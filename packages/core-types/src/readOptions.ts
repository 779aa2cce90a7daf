import { invalidParameter } from './EcrError.js';

/**
 * An options argument read once into a plain record of the fields asked for: `undefined` is
 * `{}`; `null`, a string, an array or any other non-object is `InvalidParameter` naming `name`;
 * a getter that throws is `InvalidParameter` naming its field. Reading each field once also
 * means a getter cannot answer differently the second time. Every public function of ecrkit
 * that takes an options object reads it through this.
 *
 * @example const { signal, pageSize } = readOptions(options, ['signal', 'pageSize']);
 */
export function readOptions<K extends string>(options: unknown, fields: readonly K[], name = 'options'): Partial<Record<K, unknown>> {
  if (!Array.isArray(fields as unknown)) throw invalidParameter('fields', 'must be an array of field names');
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw invalidParameter(name, 'must be an object');
  const out: Partial<Record<K, unknown>> = {};
  for (const field of fields) {
    let value: unknown;
    try {
      value = (options as Record<string, unknown>)[field];
    } catch {
      throw invalidParameter(field, 'could not be read');
    }
    if (value !== undefined) out[field] = value;
  }
  return out;
}
