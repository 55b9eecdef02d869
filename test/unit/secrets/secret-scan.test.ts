import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanForSecrets } from '../../helpers/secret-scan';

describe('scanForSecrets', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function tree(): Promise<string> {
    const d = await mkdtemp(path.join(os.tmpdir(), 'toc-scan-'));
    dirs.push(d);
    return d;
  }

  it('finds a value in any file of the tree, in the encodings it could take, without naming it', async () => {
    const d = await tree();
    const secret = 'tr0ub4dor&3 "x"';
    await mkdir(path.join(d, 'a/b'), { recursive: true });
    await writeFile(path.join(d, 'a/b/plain.log'), `password=${secret}\n`);
    await writeFile(path.join(d, 'wide.bin'), Buffer.from(`xx${secret}yy`, 'utf16le'));
    await writeFile(path.join(d, 'settings.json'), JSON.stringify({ password: secret }));
    await writeFile(path.join(d, 'url.txt'), `https://h/?p=${encodeURIComponent(secret)}`);
    await writeFile(path.join(d, 'b64.txt'), Buffer.from(secret).toString('base64'));
    await writeFile(path.join(d, 'clean.txt'), 'nothing to see');
    const findings = await scanForSecrets(d, ['unrelated-value', secret]);
    expect(findings.sort()).toEqual(
      [
        'a/b/plain.log: secret #2 (utf8)',
        'b64.txt: secret #2 (base64)',
        'settings.json: secret #2 (json)',
        'url.txt: secret #2 (uri)',
        'wide.bin: secret #2 (utf16le)',
      ].sort(),
    );
    expect(findings.join('\n')).not.toContain(secret);
  });

  it('is empty for a clean tree and does not follow symlinks out of it', async () => {
    const outside = await tree();
    await writeFile(path.join(outside, 'leak.txt'), 'outside-secret-1');
    const d = await tree();
    await symlink(outside, path.join(d, 'link'));
    expect(await scanForSecrets(d, ['outside-secret-1'])).toEqual([]);
  });

  it('refuses values so short they would match by chance', async () => {
    const d = await tree();
    await expect(scanForSecrets(d, ['abc'])).rejects.toThrow(/shorter than 4/);
  });
});
