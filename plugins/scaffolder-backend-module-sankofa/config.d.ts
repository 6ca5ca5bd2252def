export interface Config {
  sankofa?: {
    /**
     * The Crossplane resource VM requests create. Defaults to our XRD's claim
     * (sankofa.io/v1alpha1 VirtualMachine).
     */
    claim?: {
      /** @visibility backend */
      apiVersion?: string;
      /** @visibility backend */
      kind?: string;
      /** @visibility backend */
      plural?: string;
      /**
       * `claim` (Crossplane v1 claims) or `namespacedXR` (Crossplane v2 namespaced composites).
       * @visibility backend
       */
      mode?: 'claim' | 'namespacedXR';
      /**
       * Composition to pin on new resources; the XRD's default composition when absent.
       * @visibility backend
       */
      compositionName?: string;
    };

    /** The GitOps repository VM requests are proposed to as pull requests. */
    gitops?: {
      /**
       * Repository URL, e.g. http://localhost:3030/platform/sankofa-gitops. Its host needs an
       * entry under `integrations` (github, gitlab or gitea) with credentials.
       * @visibility backend
       */
      repoUrl: string;
      /**
       * Branch pull requests merge into. Default main.
       * @visibility backend
       */
      targetBranch?: string;
      /**
       * Path of a claim; {{cluster}}, {{namespace}} and {{name}} are filled in.
       * Default clusters/{{cluster}}/vms/{{namespace}}/{{name}}.yaml.
       * @visibility backend
       */
      pathTemplate?: string;
      /**
       * Path of a VM's catalog entity. Default catalog/{{namespace}}/{{name}}.yaml.
       * @visibility backend
       */
      catalogPathTemplate?: string;
      /**
       * Path of the kustomization listing a cluster's claims; claims must live below its
       * directory. Default clusters/{{cluster}}/kustomization.yaml.
       * @visibility backend
       */
      kustomizationPathTemplate?: string;
      /**
       * The catalog Location whose spec.targets lists the VM entities. Default catalog-info.yaml.
       * @visibility backend
       */
      catalogInfoPath?: string;
      /**
       * Labels put on every pull request. Default [sankofa, vm-request].
       * @visibility backend
       */
      labels?: string[];
      /**
       * Reviewers requested on every pull request (GitHub teams as org/team).
       * @visibility backend
       */
      reviewers?: string[];
      /** Commit author. Default "Sankofa Portal <sankofa-portal@localhost>". */
      author?: {
        /** @visibility backend */
        name?: string;
        /** @visibility backend */
        email?: string;
      };
    };

    /** Proxmox sites VMs may be requested on, and the policy each enforces. */
    sites?: Array<{
      /**
       * Site name, a DNS-1123 label (accra, kumasi, tamale).
       * @visibility frontend
       */
      name: string;
      /**
       * The cluster (from sankofa.clusters) whose Crossplane serves the site.
       * @visibility backend
       */
      cluster: string;
      /**
       * Proxmox nodes a VM may be pinned to.
       * @visibility frontend
       */
      nodes: string[];
      /**
       * Cloud images offered on the site.
       * @visibility frontend
       */
      images: string[];
      /** Bridges a VM may attach to. */
      networks: Array<{
        /** @visibility frontend */
        bridge: string;
        /**
         * VLAN tags allowed on the bridge; untagged only when absent.
         * @visibility frontend
         */
        vlans?: number[];
      }>;
      /** Named sizes; "custom" with explicit values is always offered within `limits`. */
      sizeClasses: Array<{
        /** @visibility frontend */
        name: string;
        /** @visibility frontend */
        cpu: number;
        /** @visibility frontend */
        memoryMiB: number;
        /** @visibility frontend */
        diskGiB: number;
      }>;
      /** Upper bounds for one VM on the site. */
      limits: {
        /** @visibility frontend */
        maxCpu: number;
        /** @visibility frontend */
        maxMemoryMiB: number;
        /** @visibility frontend */
        maxDiskGiB: number;
      };
      /** Per-group quotas on the site, counted from the claims on the target branch. */
      quotas?: Array<{
        /** @visibility frontend */
        group: string;
        /** @visibility frontend */
        maxVms?: number;
        /** @visibility frontend */
        maxCpu?: number;
        /** @visibility frontend */
        maxMemoryMiB?: number;
        /** @visibility frontend */
        maxDiskGiB?: number;
      }>;
      /** Quota of groups not listed in `quotas`; unlimited when absent. */
      defaultQuota?: {
        /** @visibility frontend */
        maxVms?: number;
        /** @visibility frontend */
        maxCpu?: number;
        /** @visibility frontend */
        maxMemoryMiB?: number;
        /** @visibility frontend */
        maxDiskGiB?: number;
      };
    }>;
  };
}
