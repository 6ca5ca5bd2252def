import { startGitHost } from '/work/main/packages/sandbox/src/git';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
(async () => {
  const host = await startGitHost({ port: 0, users: [{ login: 'kofi', token: 't' }] });
  const dir = fs.mkdtempSync('/tmp/bigpush-');
  const env = { ...process.env, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
  const g = (...a: string[]) => execFileSync('git', ['-c', 'user.name=x', '-c', 'user.email=x@y', ...a], { cwd: dir + '/r', env, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  execFileSync('git', ['clone', '-q', host.repoUrl('platform', 'sankofa-gitops'), dir + '/r'], { env });
  fs.writeFileSync(dir + '/r/big.bin', require('crypto').randomBytes(3_000_000));
  g('add', '.'); g('commit', '-qm', 'big');
  const u = new URL(host.repoUrl('platform', 'sankofa-gitops')); u.username = 'kofi'; u.password = 't';
  g('push', '-q', u.toString(), 'HEAD:refs/heads/big');
  console.log('pushed', (await host.readFile('platform', 'sankofa-gitops', 'big', 'big.bin'))?.length);
  // fetch with many haves to trigger gzip
  await host.close();
})().catch(e => { console.error(e); process.exit(1); });
