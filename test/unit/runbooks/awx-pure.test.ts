// Pure AWX helpers: every error body shape AWX uses, quoted; questions normalised from AWX's loose survey
// spec; events from REST rows and websocket messages; production targets; the txt text of a log.
import { describe, expect, it } from 'vitest';
import { awxFailure, awxWords } from '../../../electron/core/systems/awx/awx-errors';
import { eventOf, questionOf } from '../../../electron/core/systems/awx/awx-client';
import { exitCodeForStatus, formatElapsed, launchTarget, logText, productionTarget, stripAnsi } from '@shared/jobs/jobs';
import { ContractFailure } from '@shared/kernel/result';
import type { ConnectionSpec } from '@shared/connections/model';

const SPEC: ConnectionSpec = {
  id: 'awx',
  kind: 'awx',
  name: 'AWX prod',
  url: 'https://awx.example.com',
  auth: { type: 'bearer', token: { secret: { env: 'T' } } },
};

describe('AWX error bodies', () => {
  it('quotes detail, DRF field maps, string fields, errors lists and msg', () => {
    expect(awxWords({ detail: 'You do not have permission to perform this action.' })).toEqual({
      message: 'You do not have permission to perform this action.',
      fields: [],
    });
    expect(awxWords({ variables_needed_to_start: ["'region' value missing", "Value abc for 'count' expected to be an integer."] })).toEqual(
      {
        message: "variables_needed_to_start: 'region' value missing Value abc for 'count' expected to be an integer.",
        fields: [{ path: 'variables_needed_to_start', message: "'region' value missing Value abc for 'count' expected to be an integer." }],
      },
    );
    expect(awxWords('{"hosts": "Cannot relaunch because previous job had 0 failed hosts."}')).toEqual({
      message: 'hosts: Cannot relaunch because previous job had 0 failed hosts.',
      fields: [{ path: 'hosts', message: 'Cannot relaunch because previous job had 0 failed hosts.' }],
    });
    expect(awxWords({ errors: ['Job Template Inventory is missing or undefined.'] })?.message).toBe(
      'Job Template Inventory is missing or undefined.',
    );
    expect(awxWords({ msg: 'Error starting job!' })?.message).toBe('Error starting job!');
    expect(awxWords('<html>Bad gateway</html>')).toEqual({ message: '<html>Bad gateway</html>', fields: [] });
    expect(awxWords('')).toBeUndefined();
  });

  it('turns HTTP failures into messages that name the connection, say what it means, and quote AWX', () => {
    const e401 = awxFailure(
      new ContractFailure('unauthorized', 'x', {
        status: 401,
        remoteMessage: '{"detail":"Authentication credentials were not provided. To establish a login session, visit /api/login/."}',
      }),
      SPEC,
    );
    expect(e401.message).toBe(
      'AWX prod answered HTTP 401 — the token or password of this connection is not valid (or has expired): Authentication credentials were not provided. To establish a login session, visit /api/login/.',
    );
    expect(e401.detail).toMatchObject({ connectionId: 'awx', status: 401 });
    const e400 = awxFailure(
      new ContractFailure('validation', 'x', { status: 400, remoteMessage: '{"limit": ["bad"]}' }),
      SPEC,
      'refused the launch',
    );
    expect(e400.message).toBe('AWX prod refused the launch (HTTP 400): limit: bad');
    expect(e400.detail?.fields).toEqual([{ path: 'limit', message: 'bad' }]);
    const timeout = new ContractFailure('timeout', 'AWX did not answer');
    expect(awxFailure(timeout, SPEC)).toBe(timeout);
  });
});

describe('AWX shapes', () => {
  it('normalises survey questions: choices as text or list, min/max as "" or numbers, multiselect defaults', () => {
    expect(
      questionOf({
        question_name: 'Sources',
        type: 'multiselect',
        variable: 'src',
        required: true,
        choices: 'a\nb\n\nc',
        default: 'a\nc',
        min: '',
        max: null,
      }),
    ).toEqual({
      variable: 'src',
      question: 'Sources',
      description: '',
      required: true,
      type: 'multiselect',
      min: null,
      max: null,
      default: ['a', 'c'],
      choices: ['a', 'b', 'c'],
    });
    expect(questionOf({ type: 'integer', variable: 'n', min: '1', max: 10, default: '3' })).toMatchObject({
      min: 1,
      max: 10,
      default: 3,
      required: false,
    });
    expect(questionOf({ type: 'text', variable: 'x', default: '' })).toMatchObject({ default: null });
    expect(questionOf({ type: 'unknown', variable: 'x' })).toBeNull();
  });

  it('reads events from REST rows and websocket messages (no host_name there: event_data.host)', () => {
    const ws = eventOf({
      counter: 5,
      event: 'runner_on_ok',
      stdout: 'ok',
      start_line: 4,
      end_line: 5,
      event_data: { host: 'web1', play_uuid: 'p', task_uuid: 't' },
      play: 'P',
      task: 'T',
      uuid: 'u',
    });
    expect(ws).toMatchObject({ counter: 5, host: 'web1', playId: 'p', taskId: 't', startLine: 4, stats: null });
    const stats = eventOf({
      counter: 9,
      event: 'playbook_on_stats',
      stdout: '',
      event_data: { ok: { web1: 2, web2: 1 }, failures: { web2: 1 }, dark: {}, changed: { web1: 1 } },
    });
    expect(stats?.stats).toEqual([
      { host: 'web1', ok: 2, changed: 1, failures: 0, dark: 0, skipped: 0, rescued: 0, ignored: 0 },
      { host: 'web2', ok: 1, changed: 0, failures: 1, dark: 0, skipped: 0, rescued: 0, ignored: 0 },
    ]);
    expect(eventOf({ event: 'x' })).toBeNull();
  });
});

describe('jobs helpers', () => {
  it('production target: the limit, else a target variable, else the template name', () => {
    expect(productionTarget({ limit: ' web1,web2 ', vars: { target_host: 'x' }, templateName: 'T' })).toBe('web1,web2');
    expect(productionTarget({ vars: { target: 'db-01', host: 'y' }, templateName: 'T' })).toBe('db-01');
    expect(productionTarget({ vars: { target_host: '  ' }, templateName: 'Restart' })).toBe('Restart');
    expect(launchTarget({ vars: { target_host: 'web.prod' }, limit: '' }, 'T', { vars: {} })).toBe('web.prod');
    expect(launchTarget({ vars: { target_host: 'web.prod' }, limit: 'all-web' }, 'T', { vars: { target_host: 'web-01' } })).toBe('all-web');
    expect(launchTarget({ vars: { target_host: 'web.prod' }, limit: '' }, 'T', { vars: { target_host: 'web-01' } })).toBe('web-01');
  });

  it('log text, colour stripping, exit codes and elapsed time', () => {
    expect(logText(['\u001b[0;32mok\u001b[0m', ''])).toBe('ok\n\n');
    expect(logText(['\u001b[0;32mok\u001b[0m'], true)).toBe('\u001b[0;32mok\u001b[0m\n');
    expect(stripAnsi('a\u001b[1;31mb\u001b[0mc')).toBe('abc');
    expect([
      exitCodeForStatus('successful'),
      exitCodeForStatus('failed'),
      exitCodeForStatus('error'),
      exitCodeForStatus('canceled'),
    ]).toEqual([0, 1, 1, 1]);
    expect([formatElapsed(4.24), formatElapsed(185), formatElapsed(3725), formatElapsed(-1)]).toEqual([
      '4.2 s',
      '3 min 05 s',
      '1 h 02 min',
      '—',
    ]);
  });
});
