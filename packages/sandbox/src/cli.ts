/*
 * sankofa-sandbox: the local Sankofa site for development and demos.
 *
 *   sankofa-sandbox start [--config-out app-config.sandbox.yaml] [--provision-seconds 8]
 *   sankofa-sandbox seed --vms 100
 */
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { startSandbox, writePortalConfig } from './sandbox';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('must be a whole number');
  return n;
}

const program = new Command('sankofa-sandbox');

program
  .command('start')
  .description(
    'start the IdP, two Kubernetes API stand-ins, the Git host and the reconcilers',
  )
  .option(
    '--config-out <file>',
    'portal config to write',
    'app-config.sandbox.yaml',
  )
  .option(
    '--state-dir <dir>',
    'where the Git host keeps its repositories (default: a temp dir)',
  )
  .option(
    '--provision-seconds <n>',
    'how long Proxmox takes to create a VM',
    positiveInt,
    8,
  )
  .option(
    '--poll-seconds <n>',
    'how often the ArgoCD stand-in polls Git',
    positiveInt,
    3,
  )
  .action(async opts => {
    const sandbox = await startSandbox({
      stateDir: opts.stateDir,
      provisionSeconds: opts.provisionSeconds,
      pollSeconds: opts.pollSeconds,
    });
    const configFile = resolve(opts.configOut);
    writePortalConfig(sandbox, configFile);
    const lines = [
      `Keycloak-compatible IdP  ${sandbox.idp?.issuer}`,
      ...[...sandbox.clusters].map(
        ([name, c]) =>
          `Kubernetes API ${name.padEnd(10)} ${c.api.url} (token ${
            c.api.token
          })`,
      ),
      `Git host (Gitea API)     ${sandbox.git.url} (repo platform/sankofa-gitops)`,
      `Sandbox control          ${sandbox.control.url} (POST /refresh, /seed, PUT /faults/sites)`,
      `Portal config written to ${configFile}`,
    ];
    process.stdout.write(`${lines.join('\n')}\nsandbox ready\n`);
    const stop = () => sandbox.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

program
  .command('seed')
  .description(
    'create finished VMs across the 3 sites and 2 clusters of a running sandbox',
  )
  .requiredOption('--vms <n>', 'how many VMs', positiveInt)
  .option('--control <url>', 'the sandbox control URL', 'http://127.0.0.1:8190')
  .action(async opts => {
    const res = await fetch(`${opts.control}/seed`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ vms: opts.vms }),
    });
    const body = await res.json();
    if (!res.ok)
      throw new Error(body.error ?? `seed failed with ${res.status}`);
    process.stdout.write(
      `seeded ${body.vms} VMs (${body.objects} objects, prefix ${body.prefix})\n`,
    );
  });

program.parseAsync(process.argv).catch(error => {
  process.stderr.write(`sankofa-sandbox: ${error.message ?? error}\n`);
  process.exit(1);
});
