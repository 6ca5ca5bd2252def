/**
 * Storage for oidc-provider's sessions, grants, codes and tokens, kept in this process's memory.
 * The sandbox IdP is one process whose state may vanish on restart, as a dev Keycloak's would;
 * having our own adapter also makes that choice explicit instead of the library's warning.
 */
interface Stored {
  payload: Record<string, any>;
  expiresAt?: number;
}

export function memoryAdapterFactory() {
  const store = new Map<string, Stored>();
  const key = (model: string, id: string) => `${model}:${id}`;
  const live = (k: string): Stored | undefined => {
    const entry = store.get(k);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      store.delete(k);
      return undefined;
    }
    return entry;
  };

  return class MemoryAdapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: Record<string, any>, expiresIn?: number) {
      const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : undefined;
      store.set(key(this.model, id), { payload: { ...payload }, expiresAt });
      if (payload.uid)
        store.set(key(`${this.model}/uid`, payload.uid), {
          payload: { id },
          expiresAt,
        });
      if (payload.userCode) {
        store.set(key(`${this.model}/userCode`, payload.userCode), {
          payload: { id },
          expiresAt,
        });
      }
    }

    async find(id: string) {
      return live(key(this.model, id))?.payload;
    }

    async findByUid(uid: string) {
      const ref = live(key(`${this.model}/uid`, uid));
      return ref ? this.find(ref.payload.id) : undefined;
    }

    async findByUserCode(userCode: string) {
      const ref = live(key(`${this.model}/userCode`, userCode));
      return ref ? this.find(ref.payload.id) : undefined;
    }

    async consume(id: string) {
      const entry = live(key(this.model, id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string) {
      store.delete(key(this.model, id));
    }

    async revokeByGrantId(grantId: string) {
      for (const [k, entry] of store) {
        if (entry.payload.grantId === grantId) store.delete(k);
      }
    }
  };
}
