import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import layout from '../../../scripts/layout/eslint-layers.mjs';

// Each layer rule is proven by a fixture that breaks it, linted with the project's own eslint.config.js: if a rule
// stops firing (a glob no longer matches, a room is renamed), its fixture fails here. The allowed twin of each
// fixture proves the rule does not fire on what the layout permits.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Fixture {
  why: string;
  file: string;
  code: string;
  /** The toc/layers message expected, or null: the layout allows this. */
  expect: string | null;
}

const FIXTURES: Fixture[] = [
  {
    why: 'kernel imports a feature',
    file: 'electron/core/kernel/http/x.ts',
    code: "import { a } from '../../features/slo/slo-service';",
    expect: 'kernelUp',
  },
  { why: 'kernel imports core.ts', file: 'electron/core/kernel/x.ts', code: "import type { Core } from '../core';", expect: 'kernelUp' },
  {
    why: 'kernel imports shared and kernel',
    file: 'electron/core/kernel/x.ts',
    code: "import { a } from '@shared/kernel/result';\nimport { b } from './http/http-client';",
    expect: null,
  },
  {
    why: 'a system imports a feature',
    file: 'electron/core/systems/awx/x.ts',
    code: "import { a } from '../../features/jobs/awx-service';",
    expect: 'systemUp',
  },
  {
    why: 'a system imports another system',
    file: 'electron/core/systems/awx/x.ts',
    code: "import { a } from '../servicenow/table-api';",
    expect: 'systemUp',
  },
  {
    why: 'a system imports the kernel',
    file: 'electron/core/systems/awx/x.ts',
    code: "import { a } from '../../kernel/http/http-client';",
    expect: null,
  },
  {
    why: 'a feature imports core.ts',
    file: 'electron/core/features/slo/x.ts',
    code: "import type { CoreServices } from '../../core';",
    expect: 'featureUp',
  },
  {
    why: 'a feature imports another feature (value)',
    file: 'electron/core/features/runbooks/x.ts',
    code: "import { AwxService } from '../jobs/awx-service';",
    expect: 'featureToFeature',
  },
  {
    why: 'a feature re-exports another feature',
    file: 'electron/core/features/runbooks/x.ts',
    code: "export * from '../jobs/awx-service';",
    expect: 'featureToFeature',
  },
  {
    why: "a feature names another's type (a port)",
    file: 'electron/core/features/jobs/x.ts',
    code: "import type { RunbookStore } from '../runbooks/runbook-store';",
    expect: null,
  },
  {
    why: 'a feature imports systems and kernel',
    file: 'electron/core/features/jobs/x.ts',
    code: "import { a } from '../../systems/awx/awx-client';\nimport { b } from '../../kernel/services';",
    expect: null,
  },
  { why: 'core imports electron', file: 'electron/core/kernel/x.ts', code: "import { app } from 'electron';", expect: 'electronInCore' },
  {
    why: 'core imports electron dynamically',
    file: 'electron/core/features/app/x.ts',
    code: "export const m = () => import('electron');",
    expect: 'electronInCore',
  },
  {
    why: 'core requires electron',
    file: 'electron/core/core.ts',
    code: "const e = require('electron');\nexport default e;",
    expect: 'electronInCore',
  },
  { why: 'the CLI imports electron', file: 'electron/cli/x.ts', code: "import { app } from 'electron';", expect: 'electronInCore' },
  {
    why: 'a computed dynamic import',
    file: 'electron/core/kernel/x.ts',
    code: "const n = 'electron';\nexport const m = () => import(n);",
    expect: 'computed',
  },
  { why: 'an unlisted npm package in core', file: 'electron/core/features/slo/x.ts', code: "import _ from 'lodash';", expect: 'package' },
  {
    why: 'a listed npm package in core',
    file: 'electron/core/features/slo/x.ts',
    code: "import { z } from 'zod';\nimport fs from 'node:fs';",
    expect: null,
  },
  { why: 'a file outside the rooms', file: 'electron/core/misc.ts', code: 'export const a = 1;', expect: 'unplaced' },
  {
    why: 'core.ts imports the shell',
    file: 'electron/core/core.ts',
    code: "import { a } from '../main/window-options';",
    expect: 'coreOut',
  },
  { why: 'the CLI imports the shell', file: 'electron/cli/x.ts', code: "import { a } from '../main/launch-args';", expect: 'cliOut' },
  {
    why: 'main imports the preload',
    file: 'electron/main/x.ts',
    code: "import { createIpcBridge } from '../preload/ipc-client';",
    expect: 'mainOut',
  },
  {
    why: 'main imports the renderer',
    file: 'electron/main/x.ts',
    code: "import { App } from '../../renderer/src/app/shell/App';",
    expect: 'mainRenderer',
  },
  {
    why: 'main imports core and electron',
    file: 'electron/main/x.ts',
    code: "import { app } from 'electron';\nimport { createCore } from '../core/core';",
    expect: null,
  },
  { why: 'the preload imports zod', file: 'electron/preload/x.ts', code: "import { z } from 'zod';", expect: 'package' },
  {
    why: 'the preload imports a shared value',
    file: 'electron/preload/x.ts',
    code: "import { ContractFailure } from '@shared/kernel/result';",
    expect: 'preloadChannel',
  },
  {
    why: 'the preload imports the contract',
    file: 'electron/preload/x.ts',
    code: "import { methods } from '@shared/contract';",
    expect: 'preloadChannel',
  },
  { why: 'the preload imports a Node builtin', file: 'electron/preload/x.ts', code: "import fs from 'node:fs';", expect: 'nodeInBrowser' },
  {
    why: 'the preload imports the channels and types',
    file: 'electron/preload/x.ts',
    code: "import { IPC_CHANNELS } from '@shared/kernel/ipc-channels';\nimport type { Result } from '@shared/kernel/result';\nimport { ipcRenderer } from 'electron';",
    expect: null,
  },
  {
    why: 'shared imports core',
    file: 'shared/slo/x.ts',
    code: "import { a } from '../../electron/core/kernel/http/http-client';",
    expect: 'sharedOut',
  },
  {
    why: 'shared imports the renderer',
    file: 'shared/jobs/x.ts',
    code: "import { a } from '../../renderer/src/app/format/time';",
    expect: 'sharedOut',
  },
  { why: 'shared imports Node', file: 'shared/slo/x.ts', code: "import fs from 'node:fs';", expect: 'nodeInBrowser' },
  { why: 'shared imports react', file: 'shared/slo/x.ts', code: "import { useState } from 'react';", expect: 'package' },
  {
    why: 'the shared kernel imports a capability',
    file: 'shared/kernel/x.ts',
    code: "import { a } from '../slo/burn-rate';",
    expect: 'sharedKernel',
  },
  {
    why: 'a shared capability imports the kernel and another',
    file: 'shared/jobs/x.ts',
    code: "import { a } from '../kernel/result';\nimport type { B } from '../incidents/model';\nimport { z } from 'zod';",
    expect: null,
  },
  {
    why: 'a renderer feature imports inside another',
    file: 'renderer/src/features/jobs/x.ts',
    code: "import { SuggestedRunbooks } from '../runbooks/SuggestedRunbooks';",
    expect: 'viewThroughIndex',
  },
  {
    why: 'the app imports inside a feature',
    file: 'renderer/src/app/shell/x.ts',
    code: "import IncidentsView from '../../features/incidents/IncidentsView';",
    expect: 'viewThroughIndex',
  },
  {
    why: 'the app lazy-imports inside a feature',
    file: 'renderer/src/app/x.ts',
    code: "export const v = () => import('../features/wall/WallView');",
    expect: 'viewThroughIndex',
  },
  {
    why: 'features meet through index.ts',
    file: 'renderer/src/features/incidents/x.ts',
    code: "import { SuggestedRunbooks } from '../runbooks';\nimport { jobKey } from '../jobs/index';\nimport { a } from '../../app/views';",
    expect: null,
  },
  {
    why: 'the renderer imports events',
    file: 'renderer/src/app/x.ts',
    code: "import { EventEmitter } from 'events';",
    expect: 'nodeInBrowser',
  },
  {
    why: 'the renderer imports node:buffer',
    file: 'renderer/src/features/jobs/x.ts',
    code: "import { Buffer } from 'node:buffer';",
    expect: 'nodeInBrowser',
  },
  {
    why: 'the renderer imports electron',
    file: 'renderer/src/app/x.ts',
    code: "import { ipcRenderer } from 'electron';",
    expect: 'package',
  },
  {
    why: 'the renderer imports a core package',
    file: 'renderer/src/app/x.ts',
    code: "import { request } from 'undici';",
    expect: 'package',
  },
  {
    why: 'the renderer imports core',
    file: 'renderer/src/features/slo/x.ts',
    code: "import { a } from '../../../../electron/core/kernel/http/http-client';",
    expect: 'rendererOut',
  },
  {
    why: 'a renderer type import of core',
    file: 'renderer/src/features/slo/x.ts',
    code: "type T = typeof import('../../../../electron/core/core');\nexport type { T };",
    expect: 'rendererOut',
  },
  {
    why: 'the renderer imports its packages and shared',
    file: 'renderer/src/features/slo/x.tsx',
    code: "import { useQuery } from '@tanstack/react-query';\nimport { create } from 'zustand';\nimport { a } from '@shared/slo/burn-rate';",
    expect: null,
  },
];

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function layerMessages(f: Fixture): Promise<string[]> {
  const [result] = await eslint.lintText(f.code, { filePath: path.join(root, f.file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'toc/layers').map((m) => m.messageId ?? m.message);
}

// The first fixture loads eslint, typescript-eslint and the config: seconds on a busy machine, not a speed check.
describe('layer rules (toc/layers, through eslint.config.js)', { timeout: 60_000 }, () => {
  it.each(FIXTURES)('$why: $file → $expect', async (f) => {
    const got = await layerMessages(f);
    if (f.expect === null) expect(got).toEqual([]);
    else expect(got).toContain(f.expect);
  });

  it('every message of the rule has a fixture that triggers it', () => {
    const messages = Object.keys(layout.rules.layers.meta.messages);
    const proven = new Set(FIXTURES.map((f) => f.expect));
    expect(messages.filter((m) => !proven.has(m))).toEqual([]);
  });
});
