import type { JSONValue } from '@jmespath-community/jmespath';

// `--output text` as the AWS CLI writes it (awscli/text.py), so shell scripts written against
// `aws ecr ... --output text` read ecrkit's the same way: a list of objects prints one line per
// object, its scalar values tab-separated in the order of their sorted keys (the union of the
// keys of every object in the list, so columns line up); nested lists and objects follow on
// their own lines, prefixed with their key in upper case. Scalars print as Python's str() does
// (True, False, None), as the AWS CLI's do.

type JsonObject = { [key: string]: JSONValue };

/** The AWS CLI's text rendering of a JSON value, ending with a newline (empty for an empty list). */
export function formatText(value: JSONValue): string {
  const lines: string[] = [];
  formatValue(value, lines, undefined, undefined);
  return lines.map((line) => `${line}\n`).join('');
}

function formatValue(value: JSONValue, lines: string[], identifier: string | undefined, scalarKeys: readonly string[] | undefined): void {
  if (isObject(value)) formatObject(value, lines, identifier, scalarKeys);
  else if (Array.isArray(value)) formatList(value, lines, identifier);
  else lines.push(scalarText(value));
}

function formatList(list: readonly JSONValue[], lines: string[], identifier: string | undefined): void {
  if (list.length === 0) return;
  if (list.some(isObject)) {
    const keys = allScalarKeys(list);
    for (const element of list) formatValue(element, lines, identifier, keys);
  } else if (list.some(Array.isArray)) {
    const scalars = list.filter((e) => !isNested(e));
    if (scalars.length > 0) formatScalarList(scalars, lines, identifier);
    for (const nested of list.filter(isNested)) formatValue(nested, lines, identifier, undefined);
  } else {
    formatScalarList(list, lines, identifier);
  }
}

function formatScalarList(list: readonly JSONValue[], lines: string[], identifier: string | undefined): void {
  if (identifier === undefined) lines.push(list.map(scalarText).join('\t'));
  else for (const item of list) lines.push(`${identifier.toUpperCase()}\t${scalarText(item)}`);
}

function formatObject(object: JsonObject, lines: string[], identifier: string | undefined, scalarKeys: readonly string[] | undefined): void {
  const scalars: string[] = [];
  const nested: [string, JSONValue][] = [];
  if (scalarKeys === undefined) {
    for (const key of Object.keys(object).sort()) {
      const value = object[key]!;
      if (isNested(value)) nested.push([key, value]);
      else scalars.push(scalarText(value));
    }
  } else {
    for (const key of scalarKeys) scalars.push(Object.hasOwn(object, key) ? scalarText(object[key]!) : '');
    for (const key of Object.keys(object).sort()) if (!scalarKeys.includes(key)) nested.push([key, object[key]!]);
  }
  if (scalars.length > 0) lines.push((identifier === undefined ? scalars : [identifier.toUpperCase(), ...scalars]).join('\t'));
  for (const [key, value] of nested) formatValue(value, lines, key, undefined);
}

function allScalarKeys(list: readonly JSONValue[]): string[] {
  const keys = new Set<string>();
  for (const element of list) if (isObject(element)) for (const [key, value] of Object.entries(element)) if (!isNested(value)) keys.add(key);
  return [...keys].sort();
}

function scalarText(value: JSONValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  // A key that is a scalar in one object of a list and nested in another.
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isObject(value: JSONValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNested(value: JSONValue): boolean {
  return typeof value === 'object' && value !== null;
}
