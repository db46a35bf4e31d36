/** A value decoded from Stripe's bracket-notation form encoding. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/** Keys that would reach an object's prototype: Stripe rejects them as unknown, so we drop them. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `line_items[0][price_data][currency]` → `['line_items', '0', 'price_data', 'currency']`; `expand[]` ends in `''`. */
const splitKey = (key: string): string[] => {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const parts = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) parts.push(match[1] ?? '');
  return parts;
};

type Node = { [key: string]: Node | string };

const assign = (root: Node, path: readonly string[], value: string): void => {
  let node = root;
  for (const [index, segment] of path.entries()) {
    // `a[]` appends, as the SDK encodes `expand` and other string lists.
    const key = segment === '' ? String(Object.keys(node).length) : segment;
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next === 'object') node = next;
    else {
      const child: Node = {};
      node[key] = child;
      node = child;
    }
  }
};

/** Objects whose keys are all indexes become arrays, ordered by index as the SDK wrote them. */
const toValue = (node: Node | string): FormValue => {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => toValue(node[String(index)] as Node | string));
  }
  return Object.fromEntries(keys.map((key) => [key, toValue(node[key] as Node | string)]));
};

/** Parses an `application/x-www-form-urlencoded` body (or query string) into nested objects and arrays. */
export const parseFormBody = (text: string): FormObject => {
  const root: Node = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = splitKey(key);
    if (path.some((segment) => UNSAFE_KEYS.has(segment))) continue;
    assign(root, path, value);
  }
  // The top level is always an object, even when every key happens to be a number.
  return Object.fromEntries(Object.keys(root).map((key) => [key, toValue(root[key] as Node | string)]));
};
