/*
 * Runs the IdP on its own:
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/sandbox/src/idp/run.ts [--port 8180] [--host 127.0.0.1] [--realm file] [--issuer-base-url url]
 * Prints one line `IdP ready <issuer>` once it listens, and stops on SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import { startIdp } from './server';

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      realm: { type: 'string' },
      'issuer-base-url': { type: 'string' },
    },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (
    port !== undefined &&
    !(Number.isInteger(port) && port >= 0 && port < 65536)
  ) {
    throw new Error(`--port must be a port number, got "${values.port}"`);
  }
  const idp = await startIdp({
    port,
    host: values.host,
    realmFile: values.realm,
    issuerBaseUrl: values['issuer-base-url'],
  });
  process.stdout.write(`IdP ready ${idp.issuer}\n`);
  const stop = () => idp.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(e => {
  process.stderr.write(`${e?.message ?? e}\n`);
  process.exit(1);
});
