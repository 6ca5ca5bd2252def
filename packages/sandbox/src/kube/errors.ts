/** One cause inside a Status' details, as the apiserver reports field errors. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** The meta/v1 Status object every apiserver error is encoded as. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
  };
  code: number;
}

/** Identifies the resource an error is about, like the apiserver's GroupResource. */
export interface ErrorTarget {
  /** `plural` or `plural.group`, e.g. `virtualmachines.sankofa.io`. */
  resource: string;
  group: string;
  plural: string;
  name?: string;
}

/** An error carrying the exact Status the HTTP layer sends. */
export class KubeApiError extends Error {
  readonly status: KubeStatus;

  constructor(status: KubeStatus) {
    super(status.message);
    this.name = 'KubeApiError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason;
  }
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: KubeStatus['details'],
): KubeApiError {
  const status: KubeStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) {
    status.details = details;
  }
  return new KubeApiError(status);
}

export function notFound(target: ErrorTarget): KubeApiError {
  return failure(
    404,
    'NotFound',
    `${target.resource} "${target.name ?? ''}" not found`,
    {
      name: target.name,
      group: target.group || undefined,
      kind: target.plural,
    },
  );
}

export function alreadyExists(target: ErrorTarget): KubeApiError {
  return failure(
    409,
    'AlreadyExists',
    `${target.resource} "${target.name ?? ''}" already exists`,
    {
      name: target.name,
      group: target.group || undefined,
      kind: target.plural,
    },
  );
}

export function conflict(target: ErrorTarget, why: string): KubeApiError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${target.resource} "${
      target.name ?? ''
    }": ${why}`,
    {
      name: target.name,
      group: target.group || undefined,
      kind: target.plural,
    },
  );
}

/** 422 Invalid; `qualifiedKind` is `Kind.group` (or `Kind` for core), as the apiserver prints it. */
export function invalid(
  qualifiedKind: string,
  group: string,
  kind: string,
  name: string,
  causes: StatusCause[],
): KubeApiError {
  const summary = causes
    .map(c => (c.field ? `${c.field}: ${c.message}` : c.message))
    .join(', ');
  const joined = causes.length > 1 ? `[${summary}]` : summary;
  return failure(
    422,
    'Invalid',
    `${qualifiedKind} "${name}" is invalid: ${joined}`,
    { name, group: group || undefined, kind, causes },
  );
}

export function badRequest(message: string): KubeApiError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(): KubeApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(): KubeApiError {
  return failure(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

export function unsupportedMediaType(contentType: string): KubeApiError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json (got ${contentType})`,
  );
}

/** 410 with reason Expired: what apiservers answer for compacted watch or continue positions. */
export function expired(message: string): KubeApiError {
  return failure(410, 'Expired', message);
}

export function pathNotFound(path: string): KubeApiError {
  return failure(
    404,
    'NotFound',
    `the server could not find the requested resource (${path})`,
    {},
  );
}

export function internalError(code: number, message: string): KubeApiError {
  return failure(
    code,
    code === 503 ? 'ServiceUnavailable' : 'InternalError',
    message,
  );
}
