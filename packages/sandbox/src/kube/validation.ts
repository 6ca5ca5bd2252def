import { StatusCause } from './errors';

/** The subset of an openAPIV3Schema (structural schema) the sandbox enforces. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [key: string]: unknown;
}

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks an object name the way the apiserver does for CRs (subdomain) or namespaces (label). */
export function validateName(
  name: string,
  rule: 'subdomain' | 'label',
  field = 'metadata.name',
): StatusCause[] {
  if (rule === 'label') {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        },
      ];
    }
    return [];
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [
      {
        reason: 'FieldValueInvalid',
        field,
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  }
  return [];
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Label keys are `[prefix/]name`, values at most 63 characters. */
export function validateLabels(
  labels: Record<string, unknown> | undefined,
): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const keyOk =
      name.length <= 63 &&
      LABEL_NAME.test(name) &&
      (prefix === undefined ||
        (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix)));
    if (!keyOk) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.labels',
        message: `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    }
    if (
      typeof value !== 'string' ||
      value.length > 63 ||
      !LABEL_VALUE.test(value)
    ) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: `metadata.labels`,
        message: `Invalid value: ${JSON.stringify(
          value,
        )}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    }
  }
  return causes;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = typeOf(value);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return expected === actual;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text && text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Validates `value` against a structural schema and prunes unknown fields in
 * place, as the apiserver does for custom resources. Nulls in non-nullable
 * fields are dropped rather than rejected.
 */
export function validateAndPrune(
  schema: JsonSchema,
  value: unknown,
  path: string,
  causes: StatusCause[],
): void {
  if (schema['x-kubernetes-int-or-string']) {
    const t = typeOf(value);
    if (t !== 'integer' && t !== 'string') {
      causes.push({
        reason: 'FieldValueTypeInvalid',
        field: path,
        message: `Invalid value: ${show(
          value,
        )}: ${path} in body must be of type integer-or-string`,
      });
    }
    return;
  }
  if (schema.type && !typeMatches(schema.type, value)) {
    causes.push({
      reason: 'FieldValueTypeInvalid',
      field: path,
      message: `Invalid value: "${typeOf(
        value,
      )}": ${path} in body must be of type ${schema.type}: "${typeOf(value)}"`,
    });
    return;
  }
  if (schema.enum && !schema.enum.some(e => e === value)) {
    causes.push({
      reason: 'FieldValueNotSupported',
      field: path,
      message: `Unsupported value: ${show(
        value,
      )}: supported values: ${schema.enum.map(e => show(e)).join(', ')}`,
    });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: path,
        message: `Invalid value: ${value}: ${path} in body should be greater than or equal to ${schema.minimum}`,
      });
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: path,
        message: `Invalid value: ${value}: ${path} in body should be less than or equal to ${schema.maximum}`,
      });
    }
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: path,
        message: `Invalid value: ${show(
          value,
        )}: ${path} in body should be at least ${schema.minLength} chars long`,
      });
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      causes.push({
        reason: 'FieldValueTooLong',
        field: path,
        message: `Too long: may not be more than ${schema.maxLength} bytes`,
      });
    }
    if (
      schema.pattern !== undefined &&
      !new RegExp(schema.pattern).test(value)
    ) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: path,
        message: `Invalid value: ${show(
          value,
        )}: ${path} in body should match '${schema.pattern}'`,
      });
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: path,
        message: `Invalid value: ${value.length}: ${path} in body should have at least ${schema.minItems} items`,
      });
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      causes.push({
        reason: 'FieldValueTooMany',
        field: path,
        message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
      });
    }
    if (schema.items) {
      value.forEach((item, i) =>
        validateAndPrune(schema.items!, item, `${path}[${i}]`, causes),
      );
    }
    return;
  }
  if (value && typeof value === 'object') {
    validateObject(schema, value as Record<string, unknown>, path, causes);
  }
}

/** Fills absent properties that declare a `default`, as the apiserver does before validation. */
function applyDefaults(
  props: Record<string, JsonSchema> | undefined,
  obj: Record<string, unknown>,
): void {
  if (!props) return;
  for (const [key, propSchema] of Object.entries(props)) {
    if (obj[key] === undefined && propSchema.default !== undefined) {
      obj[key] = structuredClone(propSchema.default);
    }
  }
}

function validateObject(
  schema: JsonSchema,
  obj: Record<string, unknown>,
  path: string,
  causes: StatusCause[],
): void {
  const props = schema.properties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const additional = schema.additionalProperties;
  applyDefaults(props, obj);
  for (const key of Object.keys(obj)) {
    const child = obj[key];
    const childSchema = props?.[key];
    const childPath = path ? `${path}.${key}` : key;
    if (childSchema) {
      if (child === null && !childSchema.nullable) {
        delete obj[key];
        continue;
      }
      if (child === null) continue;
      validateAndPrune(childSchema, child, childPath, causes);
    } else if (additional && typeof additional === 'object') {
      if (child !== null)
        validateAndPrune(additional, child, childPath, causes);
    } else if (
      !preserve &&
      additional !== true &&
      (props || schema.type === 'object')
    ) {
      // Unknown fields are pruned silently, as for structural CRD schemas.
      if (
        !(
          schema['x-kubernetes-embedded-resource'] &&
          (key === 'apiVersion' || key === 'kind' || key === 'metadata')
        )
      ) {
        delete obj[key];
      }
    }
  }
  for (const req of schema.required ?? []) {
    if (obj[req] === undefined) {
      causes.push({
        reason: 'FieldValueRequired',
        field: path ? `${path}.${req}` : req,
        message: 'Required value',
      });
    }
  }
}

/**
 * Validates a whole custom resource: metadata is checked separately, so the
 * top level only walks the schema's other properties.
 */
export function validateCustomResource(
  schema: JsonSchema | undefined,
  obj: Record<string, unknown>,
): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!schema) return causes;
  const props = schema.properties ?? {};
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  applyDefaults(props, obj);
  for (const key of Object.keys(obj)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    const childSchema = props[key];
    if (!childSchema) {
      if (!preserve) delete obj[key];
      continue;
    }
    if (obj[key] === null && !childSchema.nullable) {
      delete obj[key];
      continue;
    }
    validateAndPrune(childSchema, obj[key], key, causes);
  }
  for (const req of schema.required ?? []) {
    if (req !== 'metadata' && obj[req] === undefined) {
      causes.push({
        reason: 'FieldValueRequired',
        field: req,
        message: 'Required value',
      });
    }
  }
  return causes;
}
