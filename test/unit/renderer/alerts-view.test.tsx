// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import AlertsView from '../../../renderer/src/features/alerts/AlertsView';
import {
  checkDraft,
  createArgs,
  draftFromLabels,
  emptyDraft,
  endsAtOf,
  matchersOf,
} from '../../../renderer/src/features/alerts/silence-draft';
import { jobSilenceMatchers } from '../../../renderer/src/features/alerts/RunWithSilence';
import { useAlertsUi } from '../../../renderer/src/features/alerts/alerts-store';
import type { AlertGroups, Silence, SilenceList } from '@shared/alerts/model';
import { ContractFailure } from '@shared/kernel/result';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

afterEach(() => {
  cleanup();
  useAlertsUi.setState({ flash: null, filter: '', showSuppressed: true, connectionId: null });
});

const NOW = new Date().toISOString();
const FP = 'a1b2c3d4e5f60718';

const groups: AlertGroups = {
  connectionId: 'am',
  connectionName: 'Alertmanager prod',
  fetchedAt: NOW,
  refreshMs: 15_000,
  linkProblems: [],
  groups: [
    {
      key: 'dba/[["alertname","DiskFull"],["service","db"]]',
      labels: { alertname: 'DiskFull', service: 'db' },
      receiver: 'dba',
      alerts: [
        {
          fingerprint: FP,
          labels: { alertname: 'DiskFull', service: 'db', instance: 'db-1:9100', severity: 'warning' },
          annotations: { summary: 'Disk 95% full', runbook_url: 'https://wiki.example/disk', team_channel: '#dba' },
          state: 'active',
          silencedBy: [],
          inhibitedBy: [],
          startsAt: NOW,
          updatedAt: NOW,
          endsAt: NOW,
          receivers: ['dba'],
          links: {
            runbookUrl: 'https://wiki.example/disk',
            dashboardUrl: 'https://grafana.example/d/node?var-instance=db-1%3A9100',
            dashboardSource: 'grafana',
            runbooks: [{ id: 'disk-cleanup', title: 'Disk cleanup' }],
            incident: {
              connectionId: 'snow',
              sysId: 'f'.repeat(32),
              number: 'INC0010042',
              shortDescription: 'Disk full',
              state: 'In Progress',
              link: 'https://snow.example/x',
              match: 'instance',
            },
          },
        },
        {
          fingerprint: 'ffff000011112222',
          labels: { alertname: 'DiskFull', service: 'db', instance: 'db-2:9100', severity: 'warning' },
          annotations: {},
          state: 'suppressed',
          silencedBy: ['sil-1'],
          inhibitedBy: [],
          startsAt: NOW,
          updatedAt: NOW,
          endsAt: NOW,
          receivers: ['dba'],
          links: { runbooks: [] },
        },
      ],
    },
  ],
};

const silence = (over: Partial<Silence>): Silence => ({
  id: 'sil-1',
  state: 'active',
  matchers: [{ name: 'instance', value: 'db-2:9100', isRegex: false, isEqual: true }],
  startsAt: NOW,
  endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  updatedAt: NOW,
  createdBy: 'alice',
  comment: 'disk swap CHG0040001',
  silencedAlerts: 1,
  ...over,
});

function bridge() {
  const silences: SilenceList = {
    connectionId: 'am',
    connectionName: 'Alertmanager prod',
    fetchedAt: NOW,
    active: [silence({})],
    pending: [],
    expired: [silence({ id: 'sil-0', state: 'expired' })],
  };
  return createFakeBridge({
    'alerts.context': () => ({ connections: [{ id: 'am', name: 'Alertmanager prod' }], defaultCreator: 'osuser', refreshMs: 15_000 }),
    'alerts.groups': () => groups,
    'alerts.silences': () => silences,
    'alerts.jobSilences': () => [],
    'alerts.previewSilence': ({ matchers }) => ({
      matching: groups.groups[0]!.alerts.filter((a) => matchers.every((m) => !m.isRegex && m.isEqual && a.labels[m.name] === m.value)).map(
        (a) => ({ fingerprint: a.fingerprint, labels: a.labels, state: a.state, startsAt: a.startsAt, silencedBy: a.silencedBy }),
      ),
      considered: 2,
      problems: [],
      fetchedAt: NOW,
    }),
  });
}

describe('alert groups', () => {
  it('shows each group with its receiver, each alert with state, labels, annotations and links', async () => {
    renderWithApi(<AlertsView route={{ view: 'alerts', path: [] }} />, bridge());
    const group = await screen.findByTestId('alert-group');
    expect(within(group).getByTestId('alert-group-receiver').textContent).toBe('→ dba');
    const rows = within(group).getAllByTestId('alert-row');
    expect(rows.map((r) => r.dataset.instance)).toEqual(['db-1:9100', 'db-2:9100']);
    const first = rows[0]!;
    expect(within(first).getByTestId('alert-state').textContent).toBe('firing');
    expect(within(rows[1]!).getByTestId('alert-state').textContent).toBe('silenced');
    expect(within(first).getByTestId('alert-annotation-summary').textContent).toBe('Disk 95% full');
    expect(within(first).getByText('team_channel')).toBeTruthy();
    expect(within(first).getByTestId('alert-link-dashboard').getAttribute('href')).toBe(
      'https://grafana.example/d/node?var-instance=db-1%3A9100',
    );
    expect(within(first).getByTestId('alert-link-runbook').getAttribute('href')).toBe('https://wiki.example/disk');
    expect(within(first).getByTestId('alert-link-console-runbook').getAttribute('href')).toBe('#/runbooks/disk-cleanup');
    expect(within(first).getByTestId('alert-link-incident').textContent).toBe('INC0010042 (In Progress)');
    expect(within(first).getByTestId('alert-silence').getAttribute('href')).toBe(`#/alerts/silences/new/alert/${FP}`);
  });

  it('filters by matchers, judged like Alertmanager (anchored regex), or by words', async () => {
    renderWithApi(<AlertsView route={{ view: 'alerts', path: [] }} />, bridge());
    await screen.findByTestId('alert-group');
    fireEvent.change(screen.getByTestId('alerts-filter'), { target: { value: 'instance=~"db-1.*"' } });
    await waitFor(() => expect(screen.getAllByTestId('alert-row').map((r) => r.dataset.instance)).toEqual(['db-1:9100']));
    fireEvent.change(screen.getByTestId('alerts-filter'), { target: { value: 'instance=~"db"' } });
    await waitFor(() => expect(screen.queryAllByTestId('alert-row')).toHaveLength(0));
    fireEvent.change(screen.getByTestId('alerts-filter'), { target: { value: 'disk 95%' } });
    await waitFor(() => expect(screen.getAllByTestId('alert-row')).toHaveLength(1));
    fireEvent.change(screen.getByTestId('alerts-filter'), { target: { value: 'instance=~"db-("' } });
    expect((await screen.findByTestId('alerts-filter-error')).textContent).toMatch(/invalid regular expression/);
  });

  it('asks for an Alertmanager connection when there is none', async () => {
    const b = bridge();
    b.handle('alerts.context', () => ({ connections: [], defaultCreator: 'osuser', refreshMs: 15_000 }));
    renderWithApi(<AlertsView route={{ view: 'alerts', path: [] }} />, b);
    expect((await screen.findByTestId('add-connection-link')).getAttribute('href')).toBe('#/settings/connections/new/alertmanager');
  });
});

describe('create a silence from an alert', () => {
  it('pre-fills matchers from the labels, previews, requires creator and comment, and keeps what was typed when Alertmanager refuses', async () => {
    const b = bridge();
    b.handle('alerts.createSilence', () => {
      throw new ContractFailure(
        'validation',
        'Alertmanager prod answered 400 (bad request): silence invalid: invalid label matcher 0: invalid regular expression',
        {
          status: 400,
          remoteMessage:
            'silence invalid: invalid label matcher 0: invalid regular expression "db-(": error parsing regexp: missing closing ): `db-(`',
        },
      );
    });
    renderWithApi(<AlertsView route={{ view: 'alerts', path: ['silences', 'new', 'alert', FP] }} />, b);
    const form = await screen.findByTestId('silence-form');
    const names = within(form)
      .getAllByTestId('matcher-name')
      .map((i) => (i as HTMLInputElement).value);
    expect(names).toEqual(['alertname', 'instance', 'service', 'severity']);
    expect((within(form).getByTestId('silence-creator') as HTMLInputElement).value).toBe('osuser');
    await waitFor(() => expect(within(form).getByTestId('silence-preview-count').textContent).toMatch(/^1 of 2 current alerts/));

    // Creator and comment are required: nothing is sent without them.
    fireEvent.change(within(form).getByTestId('silence-creator'), { target: { value: ' ' } });
    fireEvent.click(within(form).getByTestId('silence-submit'));
    expect(await within(form).findByTestId('silence-form-invalid')).toBeTruthy();
    expect(b.callsOf('alerts.createSilence')).toHaveLength(0);

    // Widen the instance matcher to a regex (with a typo), fill in who and why, send.
    const rows = within(form).getAllByTestId('matcher-row');
    fireEvent.change(within(rows[1]!).getByTestId('matcher-op'), { target: { value: '=~' } });
    fireEvent.change(within(rows[1]!).getByTestId('matcher-value'), { target: { value: 'db-(' } });
    expect((await within(form).findByTestId('matcher-problem')).textContent).toMatch(/invalid regular expression "db-\("/);
    fireEvent.change(within(form).getByTestId('silence-creator'), { target: { value: 'alice' } });
    fireEvent.change(within(form).getByTestId('silence-comment-input'), { target: { value: 'disk swap, CHG0040001' } });
    fireEvent.click(within(form).getByTestId('silence-submit'));
    const error = await within(form).findByTestId('silence-error');
    expect(within(error).getByTestId('error-remote-message').textContent).toBe(
      'silence invalid: invalid label matcher 0: invalid regular expression "db-(": error parsing regexp: missing closing ): `db-(`',
    );
    const sent = b.callsOf('alerts.createSilence')[0] as { matchers: unknown[]; createdBy: string; comment: string };
    expect(sent.matchers[1]).toEqual({ name: 'instance', value: 'db-(', isRegex: true, isEqual: true });
    expect(sent).toMatchObject({ createdBy: 'alice', comment: 'disk swap, CHG0040001', connectionId: 'am' });
    // What was typed is still there.
    expect((within(form).getByTestId('silence-comment-input') as HTMLTextAreaElement).value).toBe('disk swap, CHG0040001');
    expect((within(form).getAllByTestId('matcher-value')[1] as HTMLInputElement).value).toBe('db-(');
  });
});

describe('silences', () => {
  it('lists active and expired silences; extends by the chosen step and expires only after confirmation', async () => {
    const b = bridge();
    b.handle('alerts.extendSilence', ({ id, endsAt }) => ({ auditId: 'a1', silence: silence({ id, endsAt }) }));
    b.handle('alerts.expireSilence', ({ id }) => ({ id, auditId: 'a2', wasAlreadyExpired: false }));
    renderWithApi(<AlertsView route={{ view: 'alerts', path: ['silences'] }} />, b);
    const active = await screen.findByTestId('silences-active');
    const row = within(active).getByTestId('silence-row');
    expect(within(row).getByTestId('silence-creator').textContent).toBe('alice');
    expect(within(row).getByTestId('silence-count').textContent).toMatch(/silences 1 alert$/);
    expect(within(screen.getByTestId('silences-expired')).getByTestId('silence-recreate').getAttribute('href')).toBe(
      '#/alerts/silences/new/silence/sil-0',
    );

    fireEvent.change(within(row).getByTestId('silence-extend-by'), { target: { value: '4h' } });
    fireEvent.click(within(row).getByTestId('silence-extend'));
    await waitFor(() => expect(b.callsOf('alerts.extendSilence')).toHaveLength(1));
    const ext = b.callsOf('alerts.extendSilence')[0] as { id: string; endsAt: string };
    expect(ext.id).toBe('sil-1');
    const wanted = Date.parse(silence({}).endsAt) + 4 * 3_600_000;
    expect(Math.abs(Date.parse(ext.endsAt) - wanted)).toBeLessThan(5_000);

    fireEvent.click(within(row).getByTestId('silence-expire'));
    expect(b.callsOf('alerts.expireSilence')).toHaveLength(0);
    fireEvent.click(within(row).getByTestId('silence-expire-confirm'));
    await waitFor(() => expect(b.callsOf('alerts.expireSilence')).toEqual([{ connectionId: 'am', id: 'sil-1' }]));
    expect((await screen.findByTestId('alerts-flash')).textContent).toMatch(/Silence sil-1 expired/);
  });
});

describe('silence draft model', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('turns the typed rows into matchers and an end time', () => {
    const d = draftFromLabels({ alertname: 'A', instance: 'x:1' }, 'me');
    expect(matchersOf(d)).toEqual([
      { name: 'alertname', value: 'A', isRegex: false, isEqual: true },
      { name: 'instance', value: 'x:1', isRegex: false, isEqual: true },
    ]);
    expect(endsAtOf(d, now)).toBe('2026-03-01T14:00:00.000Z');
    expect(endsAtOf({ ...d, duration: 'custom', customEnd: '' }, now)).toBeNull();
    expect(createArgs({ ...d, comment: 'c' }, now, 'am')).toEqual({
      connectionId: 'am',
      matchers: matchersOf(d),
      endsAt: '2026-03-01T14:00:00.000Z',
      createdBy: 'me',
      comment: 'c',
    });
  });
  it('holds the form back only for what is missing; matcher problems are warnings Alertmanager decides on', () => {
    const blank = checkDraft(emptyDraft(''), now);
    expect(Object.keys(blank.fields).sort()).toEqual(['comment', 'createdBy', 'matchers']);
    const d = { ...draftFromLabels({ instance: 'x' }, 'me'), comment: 'why' };
    const regex = { ...d, matchers: d.matchers.map((r) => ({ ...r, op: '=~' as const, value: '(' })) };
    const c = checkDraft(regex, now);
    expect(c.ok).toBe(true);
    expect(c.matchers[0]?.index).toBe(0);
    expect(checkDraft({ ...d, duration: 'custom', customEnd: '2020-01-01T00:00' }, now).fields.end).toBe('The end is in the past.');
  });
  it('silences a job target by host, with or without the port', () => {
    expect(jobSilenceMatchers({ alertname: 'A', instance: 'web-1.example:9100' })).toEqual([
      { name: 'instance', value: 'web-1\\.example(:[0-9]+)?', isRegex: true, isEqual: true },
    ]);
    expect(jobSilenceMatchers({ alertname: 'A', job: 'batch', severity: 'warning' })).toEqual([
      { name: 'alertname', value: 'A', isRegex: false, isEqual: true },
      { name: 'job', value: 'batch', isRegex: false, isEqual: true },
    ]);
  });
});
