export interface Config {
  sankofa?: {
    /**
     * Clusters whose Crossplane claims, composites, provider-proxmox-bpg EnvironmentVMs, ArgoCD
     * Applications and Events the backend watches. When absent, the `config` cluster locator of
     * `kubernetes.clusterLocatorMethods` is used.
     */
    clusters?: Array<{
      /**
       * Cluster name, as used in the `sankofa.io/vm-claim` annotation (`<cluster>/<ns>/<name>`).
       * @visibility backend
       */
      name: string;
      /**
       * Kubernetes API server URL. Only configured URLs are ever called.
       * @visibility backend
       */
      url: string;
      /**
       * How the backend authenticates; only `serviceAccount` (a bearer token) is supported.
       * @visibility backend
       */
      authProvider: 'serviceAccount';
      /**
       * Service account token with get/list/watch on the watched kinds.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * Base64 PEM bundle of the API server's CA.
       * @visibility backend
       */
      caData?: string;
      /**
       * Skip TLS verification. Must be true for plain-http API servers (the sandbox).
       * @visibility backend
       */
      skipTLSVerify?: boolean;
    }>;
    /**
     * The Crossplane API the VM entities point at. Defaults to the `VirtualMachine` claim of
     * sankofa.io/v1alpha1 (Crossplane v1). Use mode `namespacedXR` for a Crossplane v2 XR.
     */
    claim?: {
      /** @visibility backend */
      apiVersion?: string;
      /** @visibility backend */
      kind?: string;
      /** @visibility backend */
      plural?: string;
      /** @visibility backend */
      mode?: 'claim' | 'namespacedXR';
    };
    /**
     * Proxmox sites. The status page reads `name` and `consoleUrl`; GET /policy serves the rest
     * of a site's policy (keys documented by the scaffolder module, which enforces them) to
     * template forms, without other groups' quotas.
     */
    sites?: Array<{
      /** @visibility backend */
      name: string;
      /**
       * Base URL of the site's Proxmox web UI (e.g. https://pve-accra.example.org:8006); the VM
       * page links to its noVNC console.
       * @visibility backend
       */
      consoleUrl?: string;
    }>;
  };
}
