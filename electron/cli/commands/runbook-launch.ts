import { createInterface } from 'node:readline';
import type { Core } from '../../core/core';
import type { MethodInput, MethodName, MethodOutput } from '@shared/contract';
import type { SurveyAnswer } from '@shared/jobs/model';
import { launchTarget } from '@shared/jobs/jobs';
import { initialAnswer, prepareAnswers, rawFromValue } from '@shared/runbooks/survey';
import type { RawAnswers } from '@shared/runbooks/survey';
import { renderValue } from '@shared/runbooks/template-vars';
import { ContractFailure } from '@shared/kernel/result';
import { parseFlags, parseFollowTimeout, str, UsageError } from '../args';
import { openRuntime } from '../runtime';
import { followJob } from './job-follow';
import { cliErrorText, colourStdout, printProblems, stderr, stdout, stdoutIsTerminal } from '../output';

export const runbookLaunchHelp = `toc runbook launch NAME --config FILE [--var k=v]… [--limit HOSTS] [--follow [--timeout SECONDS]] [--yes] [--ansi]
  Launches a runbook's AWX job template (NAME: the runbook's id or title). Survey answers and extra vars come
  from the runbook and --var; they are checked before anything is sent. A production runbook asks you to type
  the target's name (stdin); --yes confirms for pipelines. Prints the job id, or with --follow the job's output
  (exit 0 successful, 1 failed, 3 when AWX left the log incomplete, 4 when --timeout passed first: following
  stops, the job goes on). Exit 2 when nothing was launched.`;

type Streams = { out: { write(s: string): unknown }; err: { write(s: string): unknown }; input: NodeJS.ReadableStream };

async function call<M extends MethodName>(core: Core, method: M, args: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = await core.dispatcher.call(method, args, { transport: 'direct', signal: new AbortController().signal });
  if (!r.ok) throw new ContractFailure(r.error.code, r.error.message, r.error.detail);
  return r.data as MethodOutput<M>;
}

/** One line from stdin; null at end of input (no terminal, /dev/null, a closed pipe). */
export function readLine(input: NodeJS.ReadableStream): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let got = false;
    rl.once('line', (line) => {
      got = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!got) resolve(null);
    });
  });
}

function parseVars(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--var takes name=value, not "${kv}"`);
    out[kv.slice(0, i).trim()] = kv.slice(i + 1);
  }
  return out;
}

export async function launchRunbook(
  core: Core,
  opts: { name: string; vars: Record<string, string>; limit?: string; follow: boolean; timeoutMs?: number; yes: boolean; ansi: boolean },
  io: Streams,
): Promise<number> {
  const { runbooks } = await call(core, 'runbooks.list', {});
  const lower = opts.name.toLowerCase();
  const runbook = runbooks.find((r) => r.id === opts.name) ?? runbooks.find((r) => r.title.toLowerCase() === lower);
  if (!runbook) {
    io.err.write(`toc runbook launch: no runbook "${opts.name}". Runbooks: ${runbooks.map((r) => r.id).join(', ') || '(none)'}.\n`);
    return 2;
  }
  if (!runbook.awx) {
    io.err.write(`toc runbook launch: "${runbook.title}" is a procedure without an AWX job template; read it in the console.\n`);
    return 2;
  }
  const form = await call(core, 'jobs.launchForm', { runbookId: runbook.id });

  // The runbook's variables (their incident placeholders need --var here), then --var on top.
  const values: Record<string, unknown> = {};
  const unresolved: string[] = [];
  for (const [k, v] of Object.entries(runbook.extraVars)) {
    if (k in opts.vars) continue;
    const r = renderValue(v, {});
    if (r.missing.length) unresolved.push(`${k} (from ${r.missing.join(', ')})`);
    else values[k] = r.value;
  }
  Object.assign(values, opts.vars);
  if (unresolved.length) {
    io.err.write(`toc runbook launch: the runbook fills these from an incident; give them with --var: ${unresolved.join('; ')}.\n`);
    return 2;
  }
  const questions = form.survey?.questions ?? [];
  const raw: RawAnswers = {};
  for (const q of questions) raw[q.variable] = q.variable in values ? rawFromValue(q, values[q.variable]) : initialAnswer(q);
  const prepared = prepareAnswers(questions, raw);
  const errors = Object.entries(prepared.errors);
  if (errors.length) {
    io.err.write(
      `toc runbook launch: the survey of "${form.template.name}" is not satisfied:\n${errors.map(([k, m]) => `  ${k}: ${m}`).join('\n')}\n`,
    );
    return 2;
  }
  const surveyVars = new Set(questions.map((q) => q.variable));
  const extraVars = Object.fromEntries(Object.entries(values).filter(([k]) => !surveyVars.has(k)));
  const answers: Record<string, SurveyAnswer> = prepared.values;
  const limit =
    opts.limit ??
    (runbook.limit && !renderValue(runbook.limit, {}).missing.length ? String(renderValue(runbook.limit, {}).value) : undefined);

  let confirmTarget: string | undefined;
  if (form.production.production) {
    const target = launchTarget(form.defaults, form.template.name, { limit, vars: { ...extraVars, ...answers } });
    if (opts.yes) confirmTarget = target;
    else {
      io.err.write(`This is a production launch (${form.production.reasons.join('; ')}).\nType the target's name (${target}) to confirm: `);
      const typed = await readLine(io.input);
      if (typed === null) {
        io.err.write('\ntoc runbook launch: no confirmation on stdin; nothing was launched (use --yes in pipelines).\n');
        return 2;
      }
      if (typed.trim() !== target) {
        io.err.write(`toc runbook launch: "${typed.trim()}" is not "${target}"; nothing was launched.\n`);
        return 2;
      }
      confirmTarget = typed.trim();
    }
  }
  const result = await call(core, 'jobs.launch', {
    runbookId: runbook.id,
    connectionId: form.template.connectionId,
    templateId: form.template.id,
    answers,
    ...(Object.keys(extraVars).length ? { extraVars } : {}),
    ...(limit ? { limit } : {}),
    ...(confirmTarget !== undefined ? { confirmTarget } : {}),
  });
  io.err.write(`Launched AWX job #${result.job.id} (${result.job.name}): ${result.job.link}\n`);
  for (const w of result.warnings) io.err.write(`warning: ${w}\n`);
  if (!opts.follow) {
    io.out.write(`${result.job.id}\n`);
    return 0;
  }
  return followJob(core, {
    connectionId: result.job.connectionId,
    jobId: result.job.id,
    ansi: opts.ansi,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    out: io.out,
    err: io.err,
  });
}

export async function runbookLaunchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    var: { type: 'string', multiple: true },
    limit: { type: 'string' },
    follow: { type: 'boolean' },
    timeout: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    ansi: { type: 'boolean' },
  });
  const timeoutMs = parseFollowTimeout(values.timeout);
  // Without --follow the command ends at the launch: a limit on following would silently mean nothing.
  if (timeoutMs !== undefined && values.follow !== true) throw new UsageError('--timeout limits --follow; give both or neither');
  const name = positionals.join(' ').trim();
  if (!name) throw new UsageError('give the runbook to launch (its id or title)');
  const vars = parseVars(Array.isArray(values.var) ? values.var : []);
  const config = str(values.config);
  const core = await openRuntime({ ...(config ? { config } : {}), transport: 'direct', keychain: false });
  try {
    printProblems('workspace', core.services.workspaceProblems());
    const limit = str(values.limit);
    return await launchRunbook(
      core,
      {
        name,
        vars,
        ...(limit ? { limit } : {}),
        follow: values.follow === true,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        yes: values.yes === true,
        ansi: values.ansi === true || stdoutIsTerminal(),
      },
      { out: values.ansi === true || stdoutIsTerminal() ? colourStdout : stdout, err: stderr, input: process.stdin },
    );
  } catch (e) {
    if (e instanceof ContractFailure) {
      stderr.write(`toc runbook launch: ${cliErrorText(e, 'AWX')}\n`);
      for (const f of e.detail?.fields ?? []) stderr.write(`  ${f.path}: ${f.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await core.dispose();
  }
}
