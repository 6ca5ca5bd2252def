import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleClaim, sampleComposite, sampleEnvironmentVm } from './fixtures';
import { startKubeApiServer } from './index';
import { KubeApiServer } from './server';

/**
 * kubectl (client-go) only sends bearer tokens over TLS, so this test serves
 * HTTPS with a throwaway self-signed certificate made by openssl.
 */
function requireTool(
  tool: string,
  args: string[],
  expected: RegExp,
  hint: string,
): string {
  let out: string;
  try {
    out = execFileSync(tool, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error(
      `${tool} is not available (${(e as Error).message}); ${hint}`,
    );
  }
  if (!expected.test(out)) {
    throw new Error(`${tool} does not look real: "${out.trim()}"; ${hint}`);
  }
  return out;
}

let server: KubeApiServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  requireTool(
    'kubectl',
    ['version', '--client'],
    /Client Version: (v1\.\d+|version\.Info\{Major:"1")/,
    'install the Debian package kubernetes-client (apt-get install kubernetes-client)',
  );
  requireTool('openssl', ['version'], /OpenSSL/, 'install openssl');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sankofa-kubectl-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/CN=sankofa-sandbox',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
  server = await startKubeApiServer({
    clusterName: 'east',
    tls: { cert, key: fs.readFileSync(path.join(dir, 'key.pem')) },
  });
  kubeconfig = path.join(dir, 'kubeconfig.yaml');
  fs.writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'east',
          cluster: {
            server: server.url,
            'certificate-authority-data': cert.toString('base64'),
          },
        },
      ],
      users: [{ name: 'sa', user: { token: server.token } }],
      contexts: [{ name: 'east', context: { cluster: 'east', user: 'sa' } }],
      'current-context': 'east',
    }),
  );
  const claim = server.store.create(sampleClaim('vm-kubectl'));
  const xr = server.store.create(sampleComposite(claim));
  server.store.create(sampleEnvironmentVm(xr, 4321));
});

afterAll(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Asynchronous: the server runs in this process and must keep answering.
const run = promisify(execFile);

async function kubectl(config: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(
    'kubectl',
    ['--kubeconfig', config, '--cache-dir', path.join(dir, 'cache'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, HOME: dir },
    },
  );
  return stdout;
}

describe('kubectl against the sandbox', () => {
  it('gets our claims and EnvironmentVMs as JSON', async () => {
    const claims = JSON.parse(
      await kubectl(
        kubeconfig,
        'get',
        'virtualmachines.sankofa.io',
        '-n',
        'team-alpha',
        '-o',
        'json',
      ),
    );
    expect(claims.items.map((i: any) => i.metadata.name)).toEqual([
      'vm-kubectl',
    ]);
    expect(claims.items[0].spec.site).toBe('accra');
    const mrs = JSON.parse(
      await kubectl(
        kubeconfig,
        'get',
        'environmentvms.virtualenvironmentvm.proxmoxbpg.crossplane.io',
        '-o',
        'json',
      ),
    );
    expect(mrs.items.map((i: any) => i.spec.forProvider.vmId)).toEqual([4321]);
    const one = JSON.parse(
      await kubectl(
        kubeconfig,
        'get',
        'xvirtualmachines',
        'vm-kubectl-x7k2p',
        '-o',
        'json',
      ),
    );
    expect(one.spec.claimRef.name).toBe('vm-kubectl');
    const namespaced = JSON.parse(
      await kubectl(
        kubeconfig,
        'get',
        'environmentvms.virtualenvironmentvm.proxmoxbpg.m.crossplane.io',
        '-n',
        'team-alpha',
        '-o',
        'json',
      ),
    );
    expect(namespaced.items).toEqual([]);
    const table = await kubectl(kubeconfig, 'get', 'environmentvms');
    expect(table).toMatch(/^NAME\s+AGE\nvm-kubectl-x7k2p-vm\s/);
  });

  it('is refused with a wrong token', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(
      bad,
      fs.readFileSync(kubeconfig, 'utf8').replace(server.token, 'wrong'),
    );
    await expect(kubectl(bad, 'get', 'ns')).rejects.toThrow(
      /Unauthorized|must be logged in/,
    );
  });
});
