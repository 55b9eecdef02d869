// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ContractFailure } from '@shared/kernel/result';
import type { ConnectionView } from '@shared/connections/model';
import { ConnectionForm } from '../../../renderer/src/features/connections/ConnectionForm';
import ConnectionsScreen from '../../../renderer/src/features/connections/ConnectionsScreen';
import { checkDraft, emptyDraft } from '../../../renderer/src/features/connections/connection-draft';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

afterEach(cleanup);

const field = (name: string): HTMLInputElement => screen.getByTestId(`conn-field-${name}`);
const type = (name: string, value: string): void => void fireEvent.change(field(name), { target: { value } });

const provisioned: ConnectionView = {
  spec: {
    id: 'prom-prod',
    kind: 'prometheus',
    name: 'Prometheus prod',
    url: 'https://prom.example:9090',
    auth: { type: 'bearer', token: { secret: { keychain: 'prom-prod:token' } } },
    environment: 'prod',
  },
  provisioned: true,
  secrets: [{ field: 'token', ref: { secret: { keychain: 'prom-prod:token' } }, present: false }],
};

const added: ConnectionView = {
  spec: {
    id: 'snow',
    kind: 'servicenow',
    name: 'ServiceNow dev',
    url: 'https://dev.service-now.com',
    auth: { type: 'basic', username: 'ops', password: { secret: { keychain: 'snow:password' } } },
  },
  provisioned: false,
  secrets: [{ field: 'password', ref: { secret: { keychain: 'snow:password' } }, present: true }],
};

describe('connection form', () => {
  it('shows the shared schema’s errors next to their fields and sends nothing', async () => {
    const bridge = createFakeBridge();
    renderWithApi(<ConnectionForm onSaved={() => undefined} />, bridge);
    type('id', 'bad id!');
    type('url', 'ftp://example');
    fireEvent.click(screen.getByTestId('conn-header-add'));
    fireEvent.change(screen.getByTestId('conn-header-key-0'), { target: { value: 'bad header' } });
    fireEvent.change(screen.getByTestId('conn-field-timeout'), { target: { value: '0.1' } });
    fireEvent.click(screen.getByTestId('conn-save'));

    expect(screen.getByTestId('conn-form-invalid')).toBeTruthy();
    expect(screen.getByTestId('conn-error-id').textContent).toContain('use letters, digits');
    expect(screen.getByTestId('conn-error-name').textContent).toBe('required');
    expect(screen.getByTestId('conn-error-url').textContent).toBe('must be an http:// or https:// URL');
    expect(screen.getByTestId('conn-error-header-0').textContent).toContain('not a valid header name');
    expect(screen.getByTestId('conn-error-timeout').textContent).toContain('between 1 and 300 seconds');
    expect(field('id').getAttribute('aria-invalid')).toBe('true');
    expect(field('id').getAttribute('aria-describedby')).toContain('conn-id-error');
    await Promise.resolve();
    expect(bridge.callsOf('connections.save')).toEqual([]);
  });

  it('offers only the auth methods the kind accepts', () => {
    renderWithApi(<ConnectionForm onSaved={() => undefined} />, createFakeBridge());
    const options = (): string[] => [...field('authType').querySelectorAll('option')].map((o) => o.value);
    expect(options()).toEqual(['none', 'basic', 'bearer', 'mtls']);
    fireEvent.change(field('kind'), { target: { value: 'servicenow' } });
    expect(options()).toEqual(['basic', 'oauth']);
    expect((field('authType') as unknown as HTMLSelectElement).value).toBe('basic');
    expect(screen.queryByTestId('conn-field-apiBasePath')).toBeNull();
    fireEvent.change(field('kind'), { target: { value: 'awx' } });
    expect(options()).toEqual(['bearer', 'basic']);
    expect(screen.getByTestId('conn-field-apiBasePath')).toBeTruthy();
  });

  it('offers no environment variable for a secret saved here: only the workspace file may name one', () => {
    renderWithApi(<ConnectionForm onSaved={() => undefined} />, createFakeBridge());
    fireEvent.change(field('authType'), { target: { value: 'bearer' } });
    const source = screen.getByTestId('conn-field-secret.token.source');
    expect([...source.querySelectorAll('option')].map((o) => o.value)).toEqual(['keychain']);
  });

  it('shows a refusal in main’s words, puts field errors by their fields and keeps every typed character', async () => {
    const bridge = createFakeBridge({
      'connections.save': () => {
        throw new ContractFailure('validation', 'The connection was refused.', {
          remoteMessage: 'Host prom.bad is not on the allow list',
          fields: [{ path: 'spec.url', message: 'this host is not allowed' }],
        });
      },
    });
    const onSaved = vi.fn();
    renderWithApi(<ConnectionForm onSaved={onSaved} />, bridge);
    type('id', 'prom-x');
    type('name', 'Prometheus X');
    type('url', 'https://prom.bad');
    fireEvent.change(field('authType'), { target: { value: 'basic' } });
    type('username', 'alice');
    type('secret.password', 's3cret!');
    fireEvent.click(screen.getByTestId('conn-save'));

    const panel = await screen.findByTestId('conn-form-error');
    expect(within(panel).getByTestId('error-message').textContent).toBe('The connection was refused.');
    expect(within(panel).getByTestId('error-remote-message').textContent).toBe('Host prom.bad is not on the allow list');
    expect(screen.getByTestId('conn-error-url').textContent).toBe('this host is not allowed');
    expect(field('id').value).toBe('prom-x');
    expect(field('name').value).toBe('Prometheus X');
    expect(field('url').value).toBe('https://prom.bad');
    expect(field('username').value).toBe('alice');
    expect(field('secret.password').value).toBe('s3cret!');
    expect(onSaved).not.toHaveBeenCalled();

    const [sent] = bridge.callsOf('connections.save');
    expect(sent).toEqual({
      spec: {
        id: 'prom-x',
        kind: 'prometheus',
        name: 'Prometheus X',
        url: 'https://prom.bad',
        auth: { type: 'basic', username: 'alice', password: { secret: { keychain: 'prom-x:password' } } },
      },
      secrets: { password: 's3cret!' },
    });
  });

  it('saves, then clears the typed secret (it now lives in main only)', async () => {
    const bridge = createFakeBridge({
      'connections.save': ({ spec }) => ({
        spec,
        provisioned: false,
        secrets: [{ field: 'token', ref: { secret: { keychain: `${spec.id}:token` } }, present: true }],
      }),
    });
    const onSaved = vi.fn();
    renderWithApi(<ConnectionForm onSaved={onSaved} />, bridge);
    fireEvent.change(field('kind'), { target: { value: 'awx' } });
    type('id', 'awx1');
    type('name', 'AWX');
    type('url', 'https://awx.example');
    type('secret.token', 'tok');
    fireEvent.change(field('apiBasePath'), { target: { value: '/api/controller/v2/' } });
    fireEvent.click(screen.getByTestId('conn-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(onSaved.mock.calls[0]?.[1]).toBe(true);
    expect(field('secret.token').value).toBe('');
    expect(bridge.callsOf('connections.save')[0]).toMatchObject({
      spec: { apiBasePath: '/api/controller/v2/' },
      secrets: { token: 'tok' },
    });
  });

  it('never pre-fills a stored secret when editing, says it is stored, and keeps the reference if left empty', () => {
    const bridge = createFakeBridge();
    renderWithApi(<ConnectionForm existing={added} onSaved={() => undefined} />, bridge);
    expect(field('secret.password').value).toBe('');
    expect(field('secret.password').type).toBe('password');
    expect(screen.getByTestId('conn-secret-password-presence').textContent).toContain('stored ✓');
    expect(field('id').readOnly).toBe(true);
    const check = checkDraft({ ...emptyDraft('servicenow'), id: 'snow', name: 'n', url: 'https://x', username: 'ops' }, added);
    expect(check.ok && check.request).toEqual({
      spec: {
        id: 'snow',
        kind: 'servicenow',
        name: 'n',
        url: 'https://x',
        auth: { type: 'basic', username: 'ops', password: { secret: { keychain: 'snow:password' } } },
      },
    });
  });
});

describe('connections screen', () => {
  it('lists connections with the provisioned badge, secret presence, and Remove only for ones added here', async () => {
    const bridge = createFakeBridge({ 'connections.list': () => [provisioned, added] });
    renderWithApi(<ConnectionsScreen path={[]} />, bridge);
    const row = await screen.findByTestId('connection-row-prom-prod');
    expect(within(row).getByTestId('connection-provisioned-prom-prod')).toBeTruthy();
    expect(within(row).getByTestId('secret-prom-prod-token').textContent).toContain('missing');
    expect(within(row).queryByTestId('connection-remove-prom-prod')).toBeNull();
    const other = screen.getByTestId('connection-row-snow');
    expect(within(other).getByTestId('secret-snow-password').textContent).toContain('stored ✓');

    fireEvent.click(within(other).getByTestId('connection-remove-snow'));
    fireEvent.click(screen.getByTestId('connection-remove-confirm'));
    await waitFor(() => expect(bridge.callsOf('connections.remove')).toEqual([{ id: 'snow' }]));
  });

  it('shows a provisioned connection read-only, with no save and no editable definition', async () => {
    const bridge = createFakeBridge({ 'connections.list': () => [provisioned] });
    renderWithApi(<ConnectionsScreen path={['prom-prod']} />, bridge);
    const details = await screen.findByTestId('connection-details');
    expect(within(details).getByTestId('provisioned-badge').textContent).toContain('read-only');
    expect(within(details).getByTestId('details-url').textContent).toBe('https://prom.example:9090');
    expect(screen.queryByTestId('conn-save')).toBeNull();
    expect(screen.queryByTestId('conn-field-url')).toBeNull();
    // Its keychain secret can still be stored from here.
    fireEvent.change(screen.getByTestId('secret-setter-token-input'), { target: { value: 'abc' } });
    fireEvent.click(screen.getByTestId('secret-setter-token-save'));
    await waitFor(() =>
      expect(bridge.callsOf('connections.setSecret')).toEqual([{ connectionId: 'prom-prod', field: 'token', value: 'abc' }]),
    );
  });

  it('lists every probe step with its message, version and user', async () => {
    const bridge = createFakeBridge({
      'connections.list': () => [added],
      'connections.test': () => ({
        ok: false,
        version: 'Washington',
        user: 'ops',
        elapsedMs: 42,
        steps: [
          { name: 'reach the instance', ok: true, message: 'HTTP 200' },
          { name: 'read sys_user', ok: false, message: 'User Not Authenticated' },
        ],
      }),
    });
    renderWithApi(<ConnectionsScreen path={[]} />, bridge);
    fireEvent.click(await screen.findByTestId('connection-test-snow'));
    const result = await screen.findByTestId('probe-result');
    expect(result.getAttribute('data-ok')).toBe('false');
    const steps = within(result).getAllByTestId('probe-step');
    expect(steps.map((s) => s.getAttribute('data-ok'))).toEqual(['true', 'false']);
    expect(steps[1]?.textContent).toContain('User Not Authenticated');
    expect(within(result).getByTestId('probe-version').textContent).toContain('Washington');
    expect(within(result).getByTestId('probe-user').textContent).toContain('ops');
  });
});
