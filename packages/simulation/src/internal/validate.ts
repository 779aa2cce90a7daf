import { invalidParam } from './awsErrors.js';

// Input readers: each checks one member the way the ECR model constrains it (required, length,
// pattern, range) and throws InvalidParameterException in ECR's wording. Shapes and bounds come
// from the service models; patterns for names and tags follow the ECR API reference.

export type Input = Record<string, unknown>;

/** The input as a record; the wire always sends an object, absent input means `{}`. */
export function asInput(input: unknown): Input {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw invalidParam('input', 'Member must be a structure');
  return input as Input;
}

/** A required member's value; absent means ECR's "must not be null". */
function required<T>(value: T | undefined, path: string): T {
  if (value === undefined) throw invalidParam(path, 'Member must not be null');
  return value;
}

interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternText?: string;
}

export function optString(input: Input, field: string, rule: StringRule = {}, path = field): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParam(path, 'Member must be a string');
  if (rule.min !== undefined && value.length < rule.min) throw invalidParam(path, `Member must have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && value.length > rule.max) throw invalidParam(path, `Member must have length less than or equal to ${rule.max}`);
  if (rule.pattern && !rule.pattern.test(value)) {
    throw invalidParam(path, `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`);
  }
  return value;
}

export function reqString(input: Input, field: string, rule: StringRule = {}, path = field): string {
  return required(optString(input, field, rule, path), path);
}

export function optInt(input: Input, field: string, range: { min?: number; max?: number } = {}, path = field): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidParam(path, 'Member must be an integer');
  if (range.min !== undefined && value < range.min) throw invalidParam(path, `Member must have value greater than or equal to ${range.min}`);
  if (range.max !== undefined && value > range.max) throw invalidParam(path, `Member must have value less than or equal to ${range.max}`);
  return value;
}

export function reqInt(input: Input, field: string, range: { min?: number; max?: number } = {}, path = field): number {
  return required(optInt(input, field, range, path), path);
}

export function optBool(input: Input, field: string, path = field): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidParam(path, 'Member must be a boolean');
  return value;
}

export function optList(input: Input, field: string, range: { min?: number; max?: number } = {}, path = field): unknown[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidParam(path, 'Member must be a list');
  if (range.min !== undefined && value.length < range.min) throw invalidParam(path, `Member must have length greater than or equal to ${range.min}`);
  if (range.max !== undefined && value.length > range.max) throw invalidParam(path, `Member must have length less than or equal to ${range.max}`);
  return value;
}

export function reqList(input: Input, field: string, range: { min?: number; max?: number } = {}, path = field): unknown[] {
  return required(optList(input, field, range, path), path);
}

export function optStruct(input: Input, field: string, path = field): Input | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParam(path, 'Member must be a structure');
  return value as Input;
}

export function reqStruct(input: Input, field: string, path = field): Input {
  return required(optStruct(input, field, path), path);
}

export function optEnum<T extends string>(input: Input, field: string, values: readonly T[], path = field): T | undefined {
  const value = optString(input, field, {}, path);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw invalidParam(path, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return value as T;
}

export function reqEnum<T extends string>(input: Input, field: string, values: readonly T[], path = field): T {
  return required(optEnum(input, field, values, path), path);
}

/** Each list item as a structure. */
export function structItems(list: readonly unknown[], path: string): Input[] {
  return list.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalidParam(`${path}.${i + 1}.member`, 'Member must be a structure');
    return item as Input;
  });
}

/** Each list item as a string. */
export function stringItems(list: readonly unknown[], path: string, rule: StringRule = {}): string[] {
  return list.map((item, i) => {
    const holder: Input = { v: item };
    return reqString(holder, 'v', rule, `${path}.${i + 1}.member`);
  });
}

// Patterns from the service models that core-types does not cover (names, tags and image
// digests are checked with core-types' validators).
export const registryIdPattern = /^[0-9]{12}$/;
/** The model's `LayerDigest` pattern (any algorithm). */
export const digestPattern = /^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$/;
export const regionPattern = /^[0-9a-z-]{2,25}$/;
export const uploadIdPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
