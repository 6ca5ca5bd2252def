import { randomUUID } from 'node:crypto';
import {
  alreadyExists,
  badRequest,
  conflict,
  ErrorTarget,
  expired,
  invalid,
  notFound,
  StatusCause,
} from './errors';
import { applyJsonPatch, applyMergePatch } from './patch';
import {
  coreResourceTypes,
  crdResourceType,
  CustomResourceDefinition,
  ResourceType,
  resourceTypesFromCrd,
} from './resources';
import {
  FieldSelector,
  LabelSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import {
  validateCustomResource,
  validateLabels,
  validateName,
} from './validation';

/** ObjectMeta as the sandbox stores it. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/** Any Kubernetes object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: any;
}

/** Names a kind either by apiVersion + kind or by group/version/plural (as URLs do). */
export type TypeRef =
  | { apiVersion: string; kind: string }
  | { group: string; version: string; plural: string };

/** Names one object. `namespace` is required for namespaced kinds. */
export type ObjectRef = TypeRef & { name: string; namespace?: string };

export interface ListOptions {
  /** Restrict to one namespace; omit for a cluster-wide list of a namespaced kind. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface KubeList {
  apiVersion: string;
  kind: string;
  metadata: {
    resourceVersion: string;
    continue?: string;
    remainingItemCount?: number;
  };
  items: KubeObject[];
}

export type WatchEventType =
  | 'ADDED'
  | 'MODIFIED'
  | 'DELETED'
  | 'BOOKMARK'
  | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Start after this resourceVersion. Omitted, '' or '0': first an ADDED event
   * per existing object, then live changes (like an apiserver watch without RV).
   */
  resourceVersion?: string;
}

export interface StoreWatch {
  stop(): void;
}

export interface CreateOptions {
  /** Namespace from the request URL; must agree with the body's. */
  namespace?: string;
  /**
   * Keep `status` from the body even when the kind has a status subresource
   * (the apiserver drops it). For seeding; the HTTP API never sets it.
   */
  keepStatus?: boolean;
}

export interface UpdateOptions {
  /** Reject an update without metadata.resourceVersion, as the apiserver does for custom resources. */
  requireResourceVersion?: boolean;
  /** Namespace and name from the request URL; must agree with the body's. */
  namespace?: string;
  name?: string;
}

export type PatchType = 'merge' | 'json';

export interface ObjectStoreOptions {
  /** CustomResourceDefinitions to serve, besides core Namespaces and Events. */
  crds?: CustomResourceDefinition[];
  /** How many changes are kept for watch resume; older resourceVersions answer 410. Default 10000. */
  historySize?: number;
  /** Namespaces created at start, besides default, kube-system and kube-public. */
  namespaces?: string[];
}

/** @internal */
export interface Entry {
  obj: KubeObject;
  json: string;
}

interface Bucket {
  items: Map<string, Entry>;
  sorted: string[] | null;
}

/** @internal */
export interface KindState {
  type: ResourceType;
  buckets: Map<string, Bucket>;
  namespaceOrder: string[] | null;
  watchers: Set<Watcher>;
}

type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface Change {
  rv: number;
  type: ChangeType;
  kind: KindState;
  entry: Entry;
  prev?: Entry;
}

interface Watcher {
  namespace?: string;
  labels: LabelSelector;
  fields: FieldSelector;
  sink: (type: ChangeType, entry: Entry) => void;
}

/** A fixed-size ring of the latest changes, for watch resume. */
class History {
  private readonly buf: (Change | undefined)[];
  private start = 0;
  private size = 0;
  /** resourceVersion of the newest change that has been dropped. */
  compactedRv = 0;

  constructor(private readonly capacity: number) {
    this.buf = new Array(capacity);
  }

  push(change: Change) {
    if (this.size < this.capacity) {
      this.buf[(this.start + this.size) % this.capacity] = change;
      this.size++;
      return;
    }
    this.compactedRv = this.buf[this.start]!.rv;
    this.buf[this.start] = change;
    this.start = (this.start + 1) % this.capacity;
  }

  since(rv: number, kind: KindState): Change[] {
    const out: Change[] = [];
    for (let i = 0; i < this.size; i++) {
      const c = this.buf[(this.start + i) % this.capacity]!;
      if (c.rv > rv && c.kind === kind) out.push(c);
    }
    return out;
  }
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) {
    s +=
      GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  }
  return s;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON values, independent of key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (typeof a === 'object') {
    if (Array.isArray(b)) return false;
    const ak = Object.keys(a as object);
    const bk = Object.keys(b as object);
    if (ak.length !== bk.length) return false;
    return ak.every(
      k =>
        Object.hasOwn(b as object, k) &&
        deepEqual((a as any)[k], (b as any)[k]),
    );
  }
  return false;
}

/** Everything but metadata and status: what bumps metadata.generation. */
function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

function binarySearchAfter(sorted: string[], name: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface ContinueToken {
  rv: number;
  ns: string;
  name: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(
    JSON.stringify({
      v: 'meta.k8s.io/v1',
      rv: token.rv,
      start: `${token.ns}/${token.name}\u0000`,
    }),
  ).toString('base64');
}

function decodeContinue(value: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    if (
      parsed.v !== 'meta.k8s.io/v1' ||
      typeof parsed.rv !== 'number' ||
      typeof parsed.start !== 'string'
    ) {
      throw new Error('bad token');
    }
    const raw = parsed.start as string;
    const start = raw.endsWith('\u0000') ? raw.slice(0, -1) : raw;
    const slash = start.indexOf('/');
    return {
      rv: parsed.rv,
      ns: start.slice(0, slash),
      name: start.slice(slash + 1),
    };
  } catch {
    throw badRequest(
      `continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`,
    );
  }
}

/** The result of a list before serialisation: the HTTP layer joins the JSON strings. */
export interface RawList {
  type: ResourceType;
  resourceVersion: string;
  entries: Entry[];
  continue?: string;
  remainingItemCount?: number;
}

/**
 * The in-memory state of one sandbox cluster: objects per kind and namespace,
 * a global resourceVersion counter, a bounded change history and watchers.
 * The HTTP server translates requests onto it; the reconciler uses it directly.
 * Objects handed out are copies; mutate them freely.
 */
export class ObjectStore {
  private readonly kinds = new Map<string, KindState>();
  private readonly byKind = new Map<string, KindState>();
  private readonly history: History;
  private rv = 0;

  constructor(options: ObjectStoreOptions = {}) {
    this.history = new History(options.historySize ?? 10000);
    for (const type of coreResourceTypes()) this.addType(type);
    this.addType(crdResourceType());
    for (const crd of options.crds ?? []) {
      for (const type of resourceTypesFromCrd(crd)) this.addType(type);
      this.insertCrd(crd);
    }
    for (const ns of [
      'default',
      'kube-system',
      'kube-public',
      ...(options.namespaces ?? []),
    ]) {
      this.ensureNamespace(ns);
    }
  }

  private addType(type: ResourceType) {
    const state: KindState = {
      type,
      buckets: new Map(),
      namespaceOrder: null,
      watchers: new Set(),
    };
    this.kinds.set(`${type.group}/${type.version}/${type.plural}`, state);
    this.byKind.set(`${type.apiVersion}/${type.kind}`, state);
  }

  private insertCrd(crd: CustomResourceDefinition) {
    const type = this.kinds.get(
      'apiextensions.k8s.io/v1/customresourcedefinitions',
    )!;
    this.createIn(
      type,
      {
        ...structuredClone(crd),
        status: {
          acceptedNames: crd.spec.names,
          storedVersions: crd.spec.versions
            .filter(v => v.storage)
            .map(v => v.name),
          conditions: [
            {
              type: 'Established',
              status: 'True',
              reason: 'InitialNamesAccepted',
              message: 'the initial names have been accepted',
              lastTransitionTime: now(),
            },
          ],
        },
      },
      { keepStatus: true },
    );
  }

  /** Every served resource type. */
  types(): ResourceType[] {
    return [...this.kinds.values()].map(k => k.type);
  }

  /** The current (latest) resourceVersion. */
  resourceVersion(): string {
    return String(this.rv);
  }

  /** Looks a kind up by URL parts; undefined when not served. */
  findType(
    group: string,
    version: string,
    plural: string,
  ): KindState | undefined {
    return this.kinds.get(`${group}/${version}/${plural}`);
  }

  /** @internal */
  kindState(ref: TypeRef): KindState {
    const state =
      'plural' in ref
        ? this.kinds.get(`${ref.group}/${ref.version}/${ref.plural}`)
        : this.byKind.get(`${ref.apiVersion}/${ref.kind}`);
    if (!state) {
      const what =
        'plural' in ref
          ? `${ref.group}/${ref.version}/${ref.plural}`
          : `${ref.apiVersion} ${ref.kind}`;
      throw badRequest(`no kind is registered for ${what}`);
    }
    return state;
  }

  private target(type: ResourceType, name?: string): ErrorTarget {
    return {
      resource: type.resource,
      group: type.group,
      plural: type.plural,
      name,
    };
  }

  private bucket(
    kind: KindState,
    ns: string,
    create: boolean,
  ): Bucket | undefined {
    let b = kind.buckets.get(ns);
    if (!b && create) {
      b = { items: new Map(), sorted: null };
      kind.buckets.set(ns, b);
      kind.namespaceOrder = null;
    }
    return b;
  }

  private nsKey(kind: KindState, namespace: string | undefined): string {
    if (!kind.type.namespaced) return '';
    if (!namespace) {
      throw badRequest(
        `a namespace is required for ${kind.type.resource} (namespaced kind ${kind.type.kind})`,
      );
    }
    return namespace;
  }

  private lookup(kind: KindState, ns: string, name: string): Entry | undefined {
    return kind.buckets.get(ns)?.items.get(name);
  }

  private namespaceExists(ns: string): boolean {
    const kind = this.kinds.get('/v1/namespaces')!;
    return Boolean(this.lookup(kind, '', ns));
  }

  /** Creates the namespace if missing; returns it. */
  ensureNamespace(name: string): KubeObject {
    const kind = this.kinds.get('/v1/namespaces')!;
    const existing = this.lookup(kind, '', name);
    if (existing) return JSON.parse(existing.json);
    return this.createIn(kind, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }

  private put(
    kind: KindState,
    ns: string,
    name: string,
    obj: KubeObject,
  ): Entry {
    const entry: Entry = { obj, json: JSON.stringify(obj) };
    const b = this.bucket(kind, ns, true)!;
    if (!b.items.has(name)) b.sorted = null;
    b.items.set(name, entry);
    return entry;
  }

  private remove(kind: KindState, ns: string, name: string) {
    const b = kind.buckets.get(ns);
    if (!b) return;
    b.items.delete(name);
    b.sorted = null;
    if (b.items.size === 0) {
      kind.buckets.delete(ns);
      kind.namespaceOrder = null;
    }
  }

  private record(
    kind: KindState,
    type: ChangeType,
    entry: Entry,
    prev?: Entry,
  ) {
    const change: Change = { rv: this.rv, type, kind, entry, prev };
    this.history.push(change);
    for (const w of kind.watchers) this.dispatch(w, change);
  }

  private matches(w: Watcher, obj: KubeObject): boolean {
    if (w.namespace !== undefined && obj.metadata.namespace !== w.namespace) {
      return false;
    }
    return (
      matchesLabels(w.labels, obj.metadata.labels) &&
      matchesFields(w.fields, obj)
    );
  }

  /** Like the apiserver, objects moving in or out of a selector appear as ADDED or DELETED. */
  private dispatch(w: Watcher, change: Change) {
    const after = this.matches(w, change.entry.obj);
    if (change.type !== 'MODIFIED') {
      if (after) w.sink(change.type, change.entry);
      return;
    }
    const before = change.prev ? this.matches(w, change.prev.obj) : false;
    if (after && before) w.sink('MODIFIED', change.entry);
    else if (after) w.sink('ADDED', change.entry);
    else if (before) w.sink('DELETED', change.entry);
  }

  private validateMeta(type: ResourceType, obj: KubeObject): StatusCause[] {
    const causes = validateName(
      obj.metadata.name!,
      type.plural === 'namespaces' ? 'label' : 'subdomain',
    );
    causes.push(...validateLabels(obj.metadata.labels));
    if (type.custom) {
      causes.push(...validateCustomResource(type.schema, obj));
    }
    return causes;
  }

  private checkBody(type: ResourceType, body: unknown): KubeObject {
    if (!isObject(body)) {
      throw badRequest(`the body of the request must be a JSON object`);
    }
    if (body.apiVersion !== undefined && body.apiVersion !== type.apiVersion) {
      throw badRequest(
        `the API version in the data (${body.apiVersion}) does not match the expected API version (${type.apiVersion})`,
      );
    }
    if (body.kind !== undefined && body.kind !== type.kind) {
      throw badRequest(
        `the kind in the data (${body.kind}) does not match the expected kind (${type.kind})`,
      );
    }
    if (body.metadata !== undefined && !isObject(body.metadata)) {
      throw badRequest('metadata must be an object');
    }
    const copy = structuredClone(body) as KubeObject;
    copy.metadata = copy.metadata ?? {};
    return copy;
  }

  /** Creates an object; its kind is taken from apiVersion + kind. */
  create(obj: KubeObject, options: CreateOptions = {}): KubeObject {
    return this.createIn(this.kindState(obj), obj, options);
  }

  /** @internal */
  createIn(
    kind: KindState,
    body: unknown,
    options: CreateOptions = {},
  ): KubeObject {
    const type = kind.type;
    const input = this.checkBody(type, body);
    const meta = input.metadata;
    if (type.namespaced) {
      if (
        options.namespace &&
        meta.namespace &&
        meta.namespace !== options.namespace
      ) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = options.namespace ?? meta.namespace;
      if (!meta.namespace) {
        throw badRequest(
          `a namespace is required for ${type.resource} (namespaced kind ${type.kind})`,
        );
      }
    } else {
      delete meta.namespace;
    }
    const ns = type.namespaced ? meta.namespace! : '';
    let name = meta.name;
    if (!name && meta.generateName) {
      for (let i = 0; i < 8; i++) {
        name = `${meta.generateName}${randomSuffix()}`;
        if (!this.lookup(kind, ns, name)) break;
      }
    }
    if (!name) {
      throw invalid(type.qualifiedKind, type.group, type.kind, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ]);
    }
    meta.name = name;
    const { status, ...rest } = input;
    const obj: KubeObject = {
      ...rest,
      apiVersion: type.apiVersion,
      kind: type.kind,
      metadata: {} as ObjectMeta,
    };
    if (
      status !== undefined &&
      (!type.statusSubresource || options.keepStatus)
    ) {
      obj.status = status;
    }
    if (type.plural === 'namespaces') {
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
    }
    obj.metadata = meta;
    const causes = this.validateMeta(type, obj);
    if (causes.length > 0) {
      throw invalid(type.qualifiedKind, type.group, type.kind, name, causes);
    }
    if (type.namespaced && !this.namespaceExists(ns)) {
      throw notFound({
        resource: 'namespaces',
        group: '',
        plural: 'namespaces',
        name: ns,
      });
    }
    if (this.lookup(kind, ns, name)) {
      throw alreadyExists(this.target(type, name));
    }
    const {
      uid: _uid,
      resourceVersion: _rv,
      generation: _gen,
      creationTimestamp: _ct,
      deletionTimestamp: _dt,
      managedFields: _mf,
      selfLink: _sl,
      ...userMeta
    } = meta;
    this.rv++;
    obj.metadata = {
      ...userMeta,
      name,
      uid: randomUUID(),
      resourceVersion: String(this.rv),
      ...(type.custom ? { generation: 1 } : {}),
      creationTimestamp: now(),
    };
    delete obj.metadata.namespace;
    if (type.namespaced) obj.metadata.namespace = ns;
    const ordered = this.ordered(obj);
    const entry = this.put(kind, ns, name, ordered);
    this.record(kind, 'ADDED', entry);
    return JSON.parse(entry.json);
  }

  /** Key order as the apiserver prints: apiVersion, kind, metadata, the rest. */
  private ordered(obj: KubeObject): KubeObject {
    const { apiVersion, kind, metadata, ...rest } = obj;
    const {
      name,
      generateName,
      namespace,
      uid,
      resourceVersion,
      generation,
      creationTimestamp,
      deletionTimestamp,
      ...metaRest
    } = metadata;
    const meta: ObjectMeta = { name };
    if (generateName !== undefined) meta.generateName = generateName;
    if (namespace !== undefined) meta.namespace = namespace;
    meta.uid = uid;
    meta.resourceVersion = resourceVersion;
    if (generation !== undefined) meta.generation = generation;
    meta.creationTimestamp = creationTimestamp;
    if (deletionTimestamp !== undefined)
      meta.deletionTimestamp = deletionTimestamp;
    Object.assign(meta, metaRest);
    return { apiVersion, kind, metadata: meta, ...rest };
  }

  /** Returns the object or throws a NotFound KubeApiError. */
  get(ref: ObjectRef): KubeObject {
    const kind = this.kindState(ref);
    const entry = this.lookup(kind, this.nsKey(kind, ref.namespace), ref.name);
    if (!entry) throw notFound(this.target(kind.type, ref.name));
    return JSON.parse(entry.json);
  }

  /** Returns the object or undefined. */
  tryGet(ref: ObjectRef): KubeObject | undefined {
    const kind = this.kindState(ref);
    const entry = this.lookup(kind, this.nsKey(kind, ref.namespace), ref.name);
    return entry ? JSON.parse(entry.json) : undefined;
  }

  /** @internal */
  getEntry(
    kind: KindState,
    namespace: string | undefined,
    name: string,
  ): Entry {
    const entry = this.lookup(kind, this.nsKey(kind, namespace), name);
    if (!entry) throw notFound(this.target(kind.type, name));
    return entry;
  }

  /** Lists objects of one kind, sorted by namespace then name. */
  list(type: TypeRef, options: ListOptions = {}): KubeList {
    const raw = this.listRaw(this.kindState(type), options);
    return {
      apiVersion: raw.type.apiVersion,
      kind: raw.type.listKind,
      metadata: {
        resourceVersion: raw.resourceVersion,
        ...(raw.continue ? { continue: raw.continue } : {}),
        ...(raw.remainingItemCount !== undefined
          ? { remainingItemCount: raw.remainingItemCount }
          : {}),
      },
      items: raw.entries.map(e => JSON.parse(e.json)),
    };
  }

  private *iterate(
    kind: KindState,
    namespace: string | undefined,
    after?: ContinueToken,
  ) {
    let namespaces: string[];
    if (!kind.type.namespaced) namespaces = [''];
    else if (namespace !== undefined) namespaces = [namespace];
    else {
      kind.namespaceOrder ??= [...kind.buckets.keys()].sort();
      namespaces = kind.namespaceOrder;
    }
    for (const ns of namespaces) {
      if (after && ns < after.ns) continue;
      const b = kind.buckets.get(ns);
      if (!b) continue;
      b.sorted ??= [...b.items.keys()].sort();
      const sorted = b.sorted;
      let i =
        after && ns === after.ns ? binarySearchAfter(sorted, after.name) : 0;
      for (; i < sorted.length; i++) {
        yield { ns, entry: b.items.get(sorted[i])! };
      }
    }
  }

  /** @internal */
  listRaw(kind: KindState, options: ListOptions): RawList {
    const type = kind.type;
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(
      options.fieldSelector,
      type.fieldSelectors,
    );
    let after: ContinueToken | undefined;
    let listRv = this.rv;
    if (options.continue) {
      after = decodeContinue(options.continue);
      if (after.rv < this.history.compactedRv) {
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      listRv = after.rv;
    }
    const namespace = type.namespaced
      ? options.namespace || undefined
      : undefined;
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const filtered = labels.length > 0 || fields.length > 0;
    const entries: Entry[] = [];
    let last: { ns: string; name: string } | undefined;
    let more = false;
    let remaining = 0;
    for (const { ns, entry } of this.iterate(kind, namespace, after)) {
      if (entries.length >= limit) {
        more = true;
        if (filtered) break;
        remaining++;
        continue;
      }
      const obj = entry.obj;
      if (
        filtered &&
        !(
          matchesLabels(labels, obj.metadata.labels) &&
          matchesFields(fields, obj)
        )
      ) {
        continue;
      }
      entries.push(entry);
      last = { ns, name: obj.metadata.name! };
    }
    const result: RawList = { type, resourceVersion: String(listRv), entries };
    if (more && last) {
      result.continue = encodeContinue({ rv: listRv, ...last });
      if (!filtered) result.remainingItemCount = remaining;
    }
    return result;
  }

  /**
   * Replaces an object (PUT). A metadata.resourceVersion that is not the
   * current one fails with 409 Conflict. For kinds with a status subresource
   * the body's status is ignored; use updateStatus.
   */
  update(obj: KubeObject, options: UpdateOptions = {}): KubeObject {
    return this.updateIn(this.kindState(obj), obj, options, false);
  }

  /** Replaces only the status of an object (PUT .../status). */
  updateStatus(obj: KubeObject, options: UpdateOptions = {}): KubeObject {
    return this.updateIn(this.kindState(obj), obj, options, true);
  }

  /** @internal */
  updateIn(
    kind: KindState,
    body: unknown,
    options: UpdateOptions,
    statusOnly: boolean,
  ): KubeObject {
    const type = kind.type;
    const input = this.checkBody(type, body);
    const meta = input.metadata;
    if (
      options.name !== undefined &&
      meta.name !== undefined &&
      meta.name !== options.name
    ) {
      throw badRequest(
        `the name of the object (${meta.name}) does not match the name on the URL (${options.name})`,
      );
    }
    if (
      type.namespaced &&
      options.namespace !== undefined &&
      meta.namespace !== undefined &&
      meta.namespace !== options.namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const name = meta.name ?? options.name;
    if (!name) {
      throw badRequest('metadata.name is required for an update');
    }
    const ns = this.nsKey(
      kind,
      type.namespaced ? meta.namespace ?? options.namespace : undefined,
    );
    const existing = this.lookup(kind, ns, name);
    if (!existing) throw notFound(this.target(type, name));
    const current = existing.obj;
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '') {
      if (meta.resourceVersion !== current.metadata.resourceVersion) {
        throw conflict(
          this.target(type, name),
          'the object has been modified; please apply your changes to the latest version and try again',
        );
      }
    } else if (options.requireResourceVersion && type.custom) {
      throw invalid(type.qualifiedKind, type.group, type.kind, name, [
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.resourceVersion',
          message: 'Invalid value: 0x0: must be specified for an update',
        },
      ]);
    }
    let next: KubeObject;
    if (statusOnly) {
      next = structuredClone(current);
      if (input.status === undefined) delete next.status;
      else next.status = input.status;
    } else {
      const { status, metadata, ...rest } = input;
      next = {
        ...rest,
        apiVersion: type.apiVersion,
        kind: type.kind,
        metadata: {},
      };
      if (type.statusSubresource) {
        if (current.status !== undefined)
          next.status = structuredClone(current.status);
      } else if (status !== undefined) {
        next.status = status;
      }
      const { managedFields: _mf, selfLink: _sl, ...userMeta } = metadata;
      next.metadata = {
        ...userMeta,
        name,
        uid: current.metadata.uid,
        resourceVersion: current.metadata.resourceVersion,
        creationTimestamp: current.metadata.creationTimestamp,
      };
      if (type.namespaced) next.metadata.namespace = ns;
      else delete next.metadata.namespace;
      if (current.metadata.generation !== undefined) {
        next.metadata.generation = current.metadata.generation;
      } else delete next.metadata.generation;
      if (current.metadata.deletionTimestamp !== undefined) {
        next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
      } else delete next.metadata.deletionTimestamp;
      if (current.metadata.generateName !== undefined) {
        next.metadata.generateName = current.metadata.generateName;
      }
    }
    if (type.plural === 'namespaces' && !statusOnly) {
      next.spec = current.spec;
    }
    const causes = this.validateMeta(type, next);
    if (causes.length > 0) {
      throw invalid(type.qualifiedKind, type.group, type.kind, name, causes);
    }
    if (type.custom && !deepEqual(specPart(current), specPart(next))) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    if (deepEqual(current, next)) {
      // A no-op write keeps the resourceVersion and sends no watch event.
      return JSON.parse(existing.json);
    }
    this.rv++;
    next.metadata.resourceVersion = String(this.rv);
    const ordered = this.ordered(next);
    if (
      ordered.metadata.deletionTimestamp &&
      !ordered.metadata.finalizers?.length
    ) {
      // The last finalizer is gone: the pending deletion completes now.
      this.remove(kind, ns, name);
      const entry: Entry = { obj: ordered, json: JSON.stringify(ordered) };
      this.record(kind, 'DELETED', entry, existing);
      return JSON.parse(entry.json);
    }
    const entry = this.put(kind, ns, name, ordered);
    this.record(kind, 'MODIFIED', entry, existing);
    return JSON.parse(entry.json);
  }

  /** Patches an object (or its status) with a JSON merge patch or a JSON patch. */
  patch(
    ref: ObjectRef,
    patch: unknown,
    options: { type?: PatchType; subresource?: 'status' } = {},
  ): KubeObject {
    const kind = this.kindState(ref);
    return this.patchIn(
      kind,
      ref.namespace,
      ref.name,
      patch,
      options.type ?? 'merge',
      options.subresource === 'status',
    );
  }

  /** @internal */
  patchIn(
    kind: KindState,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    patchType: PatchType,
    statusOnly: boolean,
  ): KubeObject {
    const existing = this.getEntry(kind, namespace, name);
    const current = JSON.parse(existing.json);
    let patched: any;
    if (patchType === 'json') {
      patched = applyJsonPatch(current, patch);
    } else {
      if (!isObject(patch)) {
        throw badRequest('a merge patch must be a JSON object');
      }
      patched = applyMergePatch(current, patch);
    }
    if (!isObject(patched)) {
      throw badRequest('the patch did not produce an object');
    }
    patched.metadata = isObject(patched.metadata) ? patched.metadata : {};
    if (patched.metadata.resourceVersion === undefined) {
      patched.metadata.resourceVersion = existing.obj.metadata.resourceVersion;
    }
    return this.updateIn(
      kind,
      patched,
      { name, namespace: kind.type.namespaced ? namespace : undefined },
      statusOnly,
    );
  }

  /**
   * Deletes an object. With finalizers it only gets a deletionTimestamp and
   * goes away once an update removes the last finalizer. Deleting a namespace
   * deletes everything in it.
   */
  delete(ref: ObjectRef): KubeObject {
    const kind = this.kindState(ref);
    return this.deleteIn(kind, ref.namespace, ref.name);
  }

  /** @internal */
  deleteIn(
    kind: KindState,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const type = kind.type;
    const existing = this.getEntry(kind, namespace, name);
    const ns = this.nsKey(kind, namespace);
    const current = existing.obj;
    if (current.metadata.finalizers?.length && type.plural !== 'namespaces') {
      if (current.metadata.deletionTimestamp) return JSON.parse(existing.json);
      const next: KubeObject = structuredClone(current);
      next.metadata.deletionTimestamp = now();
      next.metadata.deletionGracePeriodSeconds = 0;
      if (type.custom)
        next.metadata.generation = (next.metadata.generation ?? 0) + 1;
      this.rv++;
      next.metadata.resourceVersion = String(this.rv);
      const entry = this.put(kind, ns, name, this.ordered(next));
      this.record(kind, 'MODIFIED', entry, existing);
      return JSON.parse(entry.json);
    }
    if (type.plural === 'namespaces') {
      for (const other of this.kinds.values()) {
        if (!other.type.namespaced) continue;
        const b = other.buckets.get(name);
        if (!b) continue;
        for (const child of [...b.items.keys()]) {
          this.forceDelete(other, name, child);
        }
      }
    }
    return this.forceDelete(kind, ns, name);
  }

  private forceDelete(kind: KindState, ns: string, name: string): KubeObject {
    const existing = this.lookup(kind, ns, name)!;
    const obj: KubeObject = structuredClone(existing.obj);
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    if (kind.type.plural === 'namespaces')
      obj.status = { phase: 'Terminating' };
    this.remove(kind, ns, name);
    const entry: Entry = { obj, json: JSON.stringify(obj) };
    this.record(kind, 'DELETED', entry, existing);
    return JSON.parse(entry.json);
  }

  /**
   * Low-level watch used by the HTTP server: calls `sink` synchronously with
   * each matching change and its stored JSON. Throws 410 Expired when
   * `resourceVersion` is older than the retained history.
   * @internal
   */
  watchEntries(
    kind: KindState,
    options: WatchOptions,
    sink: (type: ChangeType, entry: Entry) => void,
  ): () => void {
    const type = kind.type;
    const watcher: Watcher = {
      namespace: type.namespaced ? options.namespace || undefined : undefined,
      labels: parseLabelSelector(options.labelSelector),
      fields: parseFieldSelector(options.fieldSelector, type.fieldSelectors),
      sink,
    };
    const rvText = options.resourceVersion;
    if (!rvText || rvText === '0') {
      for (const { entry } of this.iterate(kind, watcher.namespace)) {
        if (this.matches(watcher, entry.obj)) sink('ADDED', entry);
      }
    } else {
      const from = Number(rvText);
      if (!Number.isInteger(from) || from < 0) {
        throw badRequest(`invalid resource version: ${rvText}`);
      }
      if (from < this.history.compactedRv) {
        throw expired(
          `too old resource version: ${from} (${this.history.compactedRv + 1})`,
        );
      }
      for (const change of this.history.since(from, kind)) {
        this.dispatch(watcher, change);
      }
    }
    kind.watchers.add(watcher);
    return () => {
      kind.watchers.delete(watcher);
    };
  }

  /**
   * Watches one kind. Events are delivered asynchronously (in order) with
   * copies of the objects, so a handler may write to the store. Throws a 410
   * KubeApiError when `resourceVersion` has expired: list again and resume
   * from the list's resourceVersion.
   */
  watch(
    type: TypeRef,
    options: WatchOptions,
    handler: (event: WatchEvent) => void,
  ): StoreWatch {
    const queue: WatchEvent[] = [];
    let scheduled = false;
    let stopped = false;
    const flush = () => {
      scheduled = false;
      while (queue.length > 0 && !stopped) handler(queue.shift()!);
    };
    const unsubscribe = this.watchEntries(
      this.kindState(type),
      options,
      (eventType, entry) => {
        queue.push({ type: eventType, object: JSON.parse(entry.json) });
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(flush);
        }
      },
    );
    return {
      stop() {
        stopped = true;
        unsubscribe();
      },
    };
  }
}
