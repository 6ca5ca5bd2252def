import { badRequest } from './errors';

/** One parsed requirement of a label selector. */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type LabelSelector = LabelRequirement[];

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) {
    throw badRequest(
      `unable to parse requirement: invalid label key "${key}" in selector "${selector}"`,
    );
  }
  return key;
}

function checkValue(value: string, selector: string): string {
  if (value.length > 63 || !VALUE.test(value)) {
    throw badRequest(
      `unable to parse requirement: invalid label value "${value}" in selector "${selector}"`,
    );
  }
  return value;
}

/** Splits on commas that are not inside a `( ... )` value set. */
function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

/**
 * Parses the labelSelector query syntax: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k` and `!k`, joined by commas.
 */
export function parseLabelSelector(input: string | undefined): LabelSelector {
  if (!input || !input.trim()) return [];
  return splitTopLevel(input).map(part => {
    const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (setMatch) {
      const values = setMatch[3]
        .split(',')
        .map(v => v.trim())
        .map(v => checkValue(v, input));
      return {
        key: checkKey(setMatch[1], input),
        op: setMatch[2] as 'in' | 'notin',
        values,
      };
    }
    const eqMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (eqMatch) {
      return {
        key: checkKey(eqMatch[1], input),
        op: eqMatch[2] === '!=' ? 'neq' : 'eq',
        value: checkValue(eqMatch[3].trim(), input),
      };
    }
    if (part.startsWith('!')) {
      return { key: checkKey(part.slice(1).trim(), input), op: 'notexists' };
    }
    return { key: checkKey(part, input), op: 'exists' };
  });
}

export function matchesLabels(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  for (const req of selector) {
    const has = labels !== undefined && Object.hasOwn(labels, req.key);
    const value = has ? labels![req.key] : undefined;
    switch (req.op) {
      case 'eq':
        if (value !== req.value) return false;
        break;
      case 'neq':
        if (value === req.value) return false;
        break;
      case 'in':
        if (!has || !req.values.includes(value!)) return false;
        break;
      case 'notin':
        if (has && req.values.includes(value!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** One parsed requirement of a field selector (`=`, `==` or `!=`). */
export interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

export type FieldSelector = FieldRequirement[];

/**
 * Parses a fieldSelector and checks each field against those the kind supports,
 * answering 400 like the apiserver for an unsupported field label.
 */
export function parseFieldSelector(
  input: string | undefined,
  supported: ReadonlySet<string>,
): FieldSelector {
  if (!input || !input.trim()) return [];
  return input
    .split(',')
    .map(p => p.trim())
    .filter(p => p)
    .map(part => {
      const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (!m) {
        throw badRequest(
          `invalid selector: '${input}'; can't understand '${part}'`,
        );
      }
      if (!supported.has(m[1])) {
        throw badRequest(`field label not supported: ${m[1]}`);
      }
      return { field: m[1], negate: m[2] === '!=', value: m[3].trim() };
    });
}

function fieldValue(obj: Record<string, any>, path: string): string {
  let current: any = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = current[part];
  }
  if (current === undefined || current === null) return '';
  return String(current);
}

export function matchesFields(
  selector: FieldSelector,
  obj: Record<string, any>,
): boolean {
  for (const req of selector) {
    const actual = fieldValue(obj, req.field);
    if ((actual === req.value) === req.negate) return false;
  }
  return true;
}
