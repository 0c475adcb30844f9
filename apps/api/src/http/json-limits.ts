/**
 * The shape limits every JSON body and query string is held to, whatever the route: text
 * PostgreSQL can store (no NUL, no unpaired UTF-16 surrogate: jsonb refuses both), bounded
 * strings, arrays and nesting, and no key that names a property of Object.prototype.
 */
export interface JsonLimits {
  maxDepth: number;
  maxStringLength: number;
  maxArrayLength: number;
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

/** `__proto__`, `constructor`, `hasOwnProperty`, …: class-transformer drops them silently, so they are refused here. */
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Problems reported per body before giving up: a hostile body should not make a huge answer. */
const MAX_PROBLEMS = 50;

/** What is wrong with one piece of text, or undefined. */
export function inspectText(text: string, limits: Pick<JsonLimits, 'maxStringLength'>): string | undefined {
  if (text.length > limits.maxStringLength) return `must be at most ${limits.maxStringLength} characters long`;
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (UNPAIRED_SURROGATE.test(text)) return 'must not contain an unpaired UTF-16 surrogate';
  return undefined;
}

/**
 * Whether the JSON text nests objects and arrays deeper than `maxDepth`, found by counting
 * brackets outside strings: no recursion, so a body thousands of levels deep cannot overflow
 * the stack here (nor later: it never gets parsed).
 */
export function nestingDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Every problem of a parsed body (whose depth is already known to be bounded), by path. */
export function inspectJson(value: unknown, limits: JsonLimits): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const report = (field: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ field: field || 'body', messages: [message] });
  };
  const visit = (node: unknown, path: string): void => {
    if (problems.length >= MAX_PROBLEMS) return;
    if (typeof node === 'string') {
      const message = inspectText(node, limits);
      if (message) report(path, `${path.split('.').pop() || 'body'} ${message}`);
    } else if (Array.isArray(node)) {
      if (node.length > limits.maxArrayLength) report(path, `must hold at most ${limits.maxArrayLength} items`);
      else node.forEach((item, index) => visit(item, path ? `${path}.${index}` : String(index)));
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        const field = path ? `${path}.${printable(key)}` : printable(key);
        const keyProblem = inspectText(key, limits);
        if (keyProblem) report(field, `property name ${keyProblem}`);
        else if (PROTOTYPE_KEYS.has(key)) report(field, `property ${key} should not exist`);
        else visit((node as Record<string, unknown>)[key], field);
      }
    }
  };
  visit(value, '');
  return problems;
}

/** A key as it can be shown back: unprintable characters replaced, length bounded. */
function printable(key: string): string {
  return [...key.slice(0, 100)].map((c) => (c.charCodeAt(0) < 0x20 || UNPAIRED_SURROGATE.test(c) ? '?' : c)).join('');
}
