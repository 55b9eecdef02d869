// Discovery, identity and the plain objects templates point at: /api/, ping, config, me, users, tokens,
// session login, organizations, inventories, hosts, projects.
import { randomBytes } from 'node:crypto';
import { CSRF_COOKIE, SESSION_COOKIE } from './auth';
import { isoZ, nowMs } from './clock';
import { badRequest, forbidden, json, notFound, parseCookies, type Reply } from './http-kit';
import { hostModel, inventoryModel, organizationModel, projectModel, tokenModel, userModel } from './list-models';
import { listResponse, type ListModel } from './list-query';
import { escapeRegex, idParam, under, type AuthedContext, type Route } from './router';
import { hostJson, inventoryJson, organizationJson, projectJson, tokenJson, userJson } from './serialize-objects';
import { AWX_VERSION, generateToken, NODE_NAME, type SimState } from './state';
import type { SimToken, TokenScope } from './types';

const V2_RESOURCES = [
  'ping',
  'instances',
  'instance_groups',
  'config',
  'settings',
  'me',
  'dashboard',
  'organizations',
  'users',
  'execution_environments',
  'projects',
  'project_updates',
  'teams',
  'credentials',
  'credential_types',
  'applications',
  'tokens',
  'metrics',
  'inventory',
  'inventory_sources',
  'inventory_updates',
  'groups',
  'hosts',
  'job_templates',
  'jobs',
  'ad_hoc_commands',
  'system_job_templates',
  'system_jobs',
  'schedules',
  'roles',
  'notification_templates',
  'notifications',
  'labels',
  'unified_job_templates',
  'unified_jobs',
  'activity_stream',
  'workflow_job_templates',
  'workflow_jobs',
  'workflow_approvals',
  'workflow_job_template_nodes',
  'workflow_job_nodes',
  'mesh_visualizer',
  'bulk',
  'analytics',
];

function apiRoot(state: SimState): Reply {
  return json(200, {
    description: 'AWX REST API',
    current_version: state.base,
    available_versions: { v2: state.base },
    oauth2: '/api/o/',
    custom_logo: '',
    custom_login_info: '',
    login_redirect_override: '',
  });
}

function ping(state: SimState): Reply {
  const heartbeat = isoZ(nowMs());
  return json(200, {
    ha: false,
    version: AWX_VERSION,
    active_node: NODE_NAME,
    install_uuid: state.installUuid,
    instances: [{ node: NODE_NAME, node_type: 'hybrid', uuid: state.installUuid, heartbeat, capacity: 57, version: AWX_VERSION }],
    instance_groups: [
      { name: 'controlplane', capacity: 57, instances: [NODE_NAME] },
      { name: 'default', capacity: 57, instances: [NODE_NAME] },
    ],
  });
}

function config(ctx: AuthedContext): Reply {
  const body: Record<string, unknown> = {
    time_zone: 'UTC',
    license_info: { license_type: 'open', valid_key: true, subscription_name: 'OPEN', product_name: 'AWX' },
    version: AWX_VERSION,
    eula: '',
    analytics_status: 'off',
    analytics_collectors: {},
    become_methods: [
      ['sudo', 'Sudo'],
      ['su', 'Su'],
      ['pbrun', 'Pbrun'],
      ['pfexec', 'Pfexec'],
      ['dzdo', 'DZDO'],
      ['pmrun', 'Pmrun'],
      ['runas', 'Runas'],
      ['enable', 'Enable'],
      ['doas', 'Doas'],
      ['ksu', 'Ksu'],
      ['machinectl', 'Machinectl'],
      ['sesu', 'Sesu'],
    ],
    ui_next: true,
  };
  if (ctx.auth.user.isSuperuser) {
    Object.assign(body, { project_base_dir: '/var/lib/awx/projects/', project_local_paths: [], custom_virtualenvs: [] });
  }
  return json(200, body);
}

const LOGIN_FORM = (csrf: string, error: string): string =>
  `<!DOCTYPE html>\n<html><head><title>Log in | AWX REST API</title></head><body>\n` +
  `${error ? `<p class="errornote">${error}</p>\n` : ''}` +
  `<form action="/api/login/" method="post"><input type="hidden" name="csrfmiddlewaretoken" value="${csrf}">` +
  `<input type="text" name="username"><input type="password" name="password"><input type="hidden" name="next" value="/api/">` +
  `<input type="submit" value="Log in"></form>\n</body></html>`;

function csrfCookie(token: string): string {
  return `${CSRF_COOKIE}=${token}; Max-Age=31449600; Path=/; SameSite=Lax`;
}

function parseScope(raw: unknown): TokenScope {
  if (raw === undefined) return 'write';
  if (raw === 'read' || raw === 'write' || raw === 'read write') return raw;
  throw badRequest({ scope: ["Must be a simple space-separated string with allowed scopes ['read', 'write']."] });
}

async function createToken(ctx: AuthedContext, userId: number): Promise<Reply> {
  if (ctx.auth.user.id !== userId && !ctx.auth.user.isSuperuser) throw forbidden();
  const body = await ctx.body();
  const scope = parseScope(body.scope);
  const description = typeof body.description === 'string' ? body.description : '';
  const token = ctx.state.addToken(userId, generateToken(), scope, description);
  return json(201, tokenJson(token, ctx.ser, true));
}

function tokensVisibleTo(ctx: AuthedContext): SimToken[] {
  return [...ctx.state.tokens.values()].filter((t) => ctx.auth.user.isSuperuser || t.userId === ctx.auth.user.id);
}

export function coreRoutes(state: SimState): Route[] {
  const base = state.base;
  const list = <T>(ctx: AuthedContext, rows: T[], model: ListModel<T>, render: (row: T) => unknown): Reply =>
    json(200, listResponse(rows, model, ctx.query, ctx.fullPath, ctx.state.limits, render));
  // `/api/` also answers under the controller prefix (`/api/controller/`).
  const rootPaths = base === '/api/v2/' ? ['/api/'] : ['/api/', base.replace(/v2\/$/, '')];

  return [
    { pattern: new RegExp(`^(${rootPaths.map(escapeRegex).join('|')})$`), public: true, handlers: { GET: (c) => apiRoot(c.state) } },
    {
      pattern: under(base, ''),
      public: true,
      handlers: {
        GET: (c) => json(200, Object.fromEntries(V2_RESOURCES.map((name) => [name, c.state.path(name)]))),
      },
    },
    { pattern: under(base, 'ping/'), public: true, handlers: { GET: (c) => ping(c.state) } },
    {
      pattern: /^\/api\/login\/$/,
      public: true,
      handlers: {
        GET: (c) => {
          const csrf = parseCookies(c.req.headers.cookie).get(CSRF_COOKIE) ?? randomBytes(32).toString('hex');
          return { status: 200, text: LOGIN_FORM(csrf, ''), contentType: 'text/html', headers: { 'Set-Cookie': csrfCookie(csrf) } };
        },
        POST: async (c) => {
          const raw = (await c.rawBody()).toString('utf8');
          const form = new URLSearchParams(raw);
          const cookie = parseCookies(c.req.headers.cookie).get(CSRF_COOKIE);
          const header = c.req.headers['x-csrftoken'];
          const sent = (Array.isArray(header) ? header[0] : header) ?? form.get('csrfmiddlewaretoken');
          if (!cookie || !sent || cookie !== sent) {
            return {
              status: 403,
              text: '<h1>Forbidden (403)</h1><p>CSRF verification failed. Request aborted.</p>',
              contentType: 'text/html',
            };
          }
          const user = c.state.userByName(form.get('username') ?? '');
          if (!user || user.password !== (form.get('password') ?? '')) {
            return { status: 401, text: LOGIN_FORM(cookie, 'Please enter a correct username and password.'), contentType: 'text/html' };
          }
          const key = randomBytes(16).toString('hex');
          const csrf = randomBytes(32).toString('hex');
          c.state.sessions.set(key, { key, userId: user.id, csrfToken: csrf });
          user.lastLogin = nowMs();
          return {
            status: 302,
            text: '',
            headers: {
              Location: form.get('next') || '/api/',
              'Set-Cookie': [`${SESSION_COOKIE}=${key}; HttpOnly; Max-Age=1800; Path=/; SameSite=Lax`, csrfCookie(csrf)],
              'X-API-Session-Cookie-Name': SESSION_COOKIE,
            },
          };
        },
      },
    },
    {
      pattern: /^\/api\/logout\/$/,
      public: true,
      handlers: {
        GET: (c) => {
          const key = parseCookies(c.req.headers.cookie).get(SESSION_COOKIE);
          if (key) c.state.sessions.delete(key);
          return { status: 302, text: '', headers: { Location: '/api/', 'Set-Cookie': `${SESSION_COOKIE}=""; Max-Age=0; Path=/` } };
        },
      },
    },
    { pattern: under(base, 'config/'), handlers: { GET: config } },
    { pattern: under(base, 'me/'), handlers: { GET: (c) => list(c, [c.auth.user], userModel, (u) => userJson(u, c.ser)) } },
    { pattern: under(base, 'users/'), handlers: { GET: (c) => list(c, c.state.users, userModel, (u) => userJson(u, c.ser)) } },
    {
      pattern: under(base, 'users/(\\d+)/'),
      handlers: {
        GET: (c) => {
          const user = c.state.user(idParam(c));
          if (!user) throw notFound();
          return json(200, userJson(user, c.ser));
        },
      },
    },
    {
      pattern: under(base, 'users/(\\d+)/(?:personal_)?tokens/'),
      handlers: {
        GET: (c) => {
          if (!c.state.user(idParam(c))) throw notFound();
          const rows = tokensVisibleTo(c).filter((t) => t.userId === idParam(c));
          return list(c, rows, tokenModel, (t) => tokenJson(t, c.ser, false));
        },
        POST: (c) => {
          if (!c.state.user(idParam(c))) throw notFound();
          return createToken(c, idParam(c));
        },
      },
    },
    {
      pattern: under(base, 'tokens/'),
      handlers: {
        GET: (c) => list(c, tokensVisibleTo(c), tokenModel, (t) => tokenJson(t, c.ser, false)),
        POST: (c) => createToken(c, c.auth.user.id),
      },
    },
    {
      pattern: under(base, 'tokens/(\\d+)/'),
      handlers: {
        GET: (c) => {
          const token = tokensVisibleTo(c).find((t) => t.id === idParam(c));
          if (!token) throw notFound();
          return json(200, tokenJson(token, c.ser, false));
        },
        DELETE: (c) => {
          const token = tokensVisibleTo(c).find((t) => t.id === idParam(c));
          if (!token) throw notFound();
          c.state.tokens.delete(token.token);
          return { status: 204, text: '' };
        },
      },
    },
    {
      pattern: under(base, 'organizations/'),
      handlers: { GET: (c) => list(c, c.state.organizations, organizationModel, (o) => organizationJson(o, c.ser)) },
    },
    {
      pattern: under(base, 'organizations/(\\d+)/'),
      handlers: {
        GET: (c) => {
          const org = c.state.organizations.find((o) => o.id === idParam(c));
          if (!org) throw notFound();
          return json(200, organizationJson(org, c.ser));
        },
      },
    },
    {
      pattern: under(base, 'inventories/'),
      handlers: { GET: (c) => list(c, c.state.inventories, inventoryModel, (i) => inventoryJson(i, c.ser)) },
    },
    {
      pattern: under(base, 'inventories/(\\d+)/'),
      handlers: {
        GET: (c) => {
          const inv = c.state.inventory(idParam(c));
          if (!inv) throw notFound();
          return json(200, inventoryJson(inv, c.ser));
        },
      },
    },
    {
      pattern: under(base, 'inventories/(\\d+)/hosts/'),
      handlers: {
        GET: (c) => {
          const inv = c.state.inventory(idParam(c));
          if (!inv) throw notFound();
          return list(c, inv.hosts, hostModel, (h) => hostJson(h, inv, c.ser));
        },
      },
    },
    {
      pattern: under(base, 'hosts/(\\d+)/'),
      handlers: {
        GET: (c) => {
          for (const inv of c.state.inventories) {
            const host = inv.hosts.find((h) => h.id === idParam(c));
            if (host) return json(200, hostJson(host, inv, c.ser));
          }
          throw notFound();
        },
      },
    },
    {
      pattern: under(base, 'projects/'),
      handlers: { GET: (c) => list(c, c.state.projects, projectModel, (p) => projectJson(p, c.ser)) },
    },
    {
      pattern: under(base, 'projects/(\\d+)/'),
      handlers: {
        GET: (c) => {
          const project = c.state.project(idParam(c));
          if (!project) throw notFound();
          return json(200, projectJson(project, c.ser));
        },
      },
    },
  ];
}
