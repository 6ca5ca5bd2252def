import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { GitHost, GITOPS_OWNER, GITOPS_REPO, startGitHost } from './git';
import { RunningIdp, startIdp } from './idp';
import { KubeApiServer, startKubeApiServer } from './kube';
import {
  ArgoCdReconciler,
  CrossplaneReconciler,
  DEFAULT_SITES,
  SiteConditions,
} from './reconciler';
import { ControlServer, startControlServer } from './control';

export interface SandboxOptions {
  /** Ports; 0 picks a free one (tests). */
  ports?: {
    idp?: number;
    git?: number;
    control?: number;
    clusters?: Record<string, number>;
  };
  /** Where the Git host keeps its repositories; default a temp dir. */
  stateDir?: string;
  /** How long Proxmox takes to create a VM. Default 8 s. */
  provisionSeconds?: number;
  /** How often the ArgoCD stand-in polls Git. Default 3 s. */
  pollSeconds?: number;
  /** Start the Keycloak-compatible IdP too. Default true. */
  idp?: boolean;
}

export interface Sandbox {
  idp?: RunningIdp;
  git: GitHost;
  gitToken: string;
  clusters: Map<
    string,
    {
      api: KubeApiServer;
      argocd: ArgoCdReconciler;
      crossplane: CrossplaneReconciler;
    }
  >;
  conditions: SiteConditions;
  control: ControlServer;
  /** The portal configuration that points at this sandbox. */
  appConfig(): Record<string, unknown>;
  close(): Promise<void>;
}

export const DEFAULT_CLUSTER_PORTS: Record<string, number> = {
  'sankofa-east': 16443,
  'sankofa-west': 16444,
};

/** The Git host's bot account the portal's scaffolder uses (development only). */
const GIT_BOT = {
  login: 'sankofa-bot',
  token: 'sandbox-git-token',
  admin: true,
};

/** Starts the whole local site: IdP, two clusters, the Git host and the reconcilers. */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const ports = options.ports ?? {};
  const conditions = new SiteConditions(DEFAULT_SITES);
  const idp =
    options.idp === false
      ? undefined
      : await startIdp({ port: ports.idp ?? 8180 });
  const git = await startGitHost({
    port: ports.git ?? 3030,
    stateDir: options.stateDir,
    users: [
      GIT_BOT,
      { login: 'platform', token: 'sandbox-platform-token', admin: true },
    ],
    publicUrl:
      ports.git === 0 ? undefined : `http://localhost:${ports.git ?? 3030}`,
  });
  const clusters: Sandbox['clusters'] = new Map();
  for (const [name, defaultPort] of Object.entries(DEFAULT_CLUSTER_PORTS)) {
    const api = await startKubeApiServer({
      clusterName: name,
      port: ports.clusters?.[name] ?? defaultPort,
    });
    const crossplane = new CrossplaneReconciler({
      cluster: name,
      store: api.store,
      conditions,
      provisionMs: (options.provisionSeconds ?? 8) * 1000,
    });
    crossplane.start();
    const argocd = new ArgoCdReconciler({
      cluster: name,
      store: api.store,
      repoUrl: git.repoUrl(GITOPS_OWNER, GITOPS_REPO),
      branch: 'main',
      pollMs: (options.pollSeconds ?? 3) * 1000,
    });
    await argocd.start();
    clusters.set(name, { api, argocd, crossplane });
  }

  const sandbox: Sandbox = {
    idp,
    git,
    gitToken: GIT_BOT.token,
    clusters,
    conditions,
    control: undefined as unknown as ControlServer,
    appConfig: () => portalConfig(sandbox),
    async close() {
      await sandbox.control.close();
      for (const { api, argocd, crossplane } of clusters.values()) {
        argocd.stop();
        crossplane.stop();
        await api.close();
      }
      await git.close();
      await idp?.close();
    },
  };
  sandbox.control = await startControlServer(sandbox, ports.control ?? 8190);
  return sandbox;
}

/** Writes the portal configuration for this sandbox (app-config.sandbox.yaml). */
export function writePortalConfig(sandbox: Sandbox, file: string) {
  const header =
    '# Written by `sankofa-sandbox start`: points the portal at the local sandbox. Development only.\n';
  writeFileSync(file, header + stringify(sandbox.appConfig()));
}

function portalConfig(sandbox: Sandbox): Record<string, unknown> {
  const gitHost = new URL(sandbox.git.url).host;
  return {
    sankofa: {
      clusters: [...sandbox.clusters.entries()].map(([name, { api }]) => ({
        name,
        url: api.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: api.token,
        // The stand-ins speak plain HTTP on loopback; client-node refuses http without this.
        skipTLSVerify: true,
      })),
      gitops: {
        repoUrl: `${sandbox.git.url}/${GITOPS_OWNER}/${GITOPS_REPO}`,
        targetBranch: 'main',
      },
    },
    integrations: {
      gitea: [
        // Without baseUrl the integration assumes https://<host>; the Git host speaks plain http.
        {
          host: gitHost,
          baseUrl: sandbox.git.url,
          username: GIT_BOT.login,
          password: GIT_BOT.token,
        },
      ],
    },
  };
}
