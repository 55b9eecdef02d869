import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../electron/core/kernel/http/http-client';
import { ContractFailure } from '@shared/kernel/result';
import { startFixture } from '../../helpers/http-fixture';
import type { Fixture } from '../../helpers/http-fixture';

// An HTML page where JSON was expected: a sign-in page (login_required, "sign in through the browser") or
// something else (bad_response / the status's own error, quoted). Pages with a login title, URL or password
// field were always recognised; these have none of them — the sign-in is only in their body — and next to
// them, error pages that mention logging in in passing, which must not be taken for a login.

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.close());

let n = 0;
async function answerTo(status: number, html: string): Promise<ContractFailure> {
  const path = `/api/now/table/incident/${++n}`;
  fx.route(path, (_q, res) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  const c = await createHttpClient({ name: 'ServiceNow', baseUrl: fx.url, sleep: async () => undefined, maxAttempts: 1, timeoutMs: 2000 });
  try {
    await c.request({ path, idempotent: true });
  } catch (e) {
    if (e instanceof ContractFailure) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('sign-in pages known by their body', () => {
  it('a title-less gateway page asking to sign in, with its words in the message', async () => {
    const e = await answerTo(
      200,
      '<html><body><div class="box"><h1>Please sign in</h1><p>Your session has ended.</p><a href="/oauth2/start?rd=%2Fapi">Continue with Okta</a></div></body></html>',
    );
    expect(e.code).toBe('login_required');
    expect(e.message).toBe(
      'ServiceNow answered with a login page ("Please sign in Your session has ended. Continue with Okta") instead of data: the session expired or an SSO login is needed. Sign in through the browser or check the credentials.',
    );
  });

  it("ServiceNow's own login.do form, its password field drawn by script", async () => {
    const e = await answerTo(
      200,
      '<html><body><form id="loginPage" name="loginPage" method="POST" action="login.do"><input id="user_name" name="user_name" type="text"><div id="pw"></div><button id="sysverb_login">Log in</button></form><script>drawPassword()</script></body></html>',
    );
    expect(e.code).toBe('login_required');
  });

  it('an Azure AD page (form posting to login.microsoftonline.com, loginfmt field), no title', async () => {
    const e = await answerTo(
      200,
      '<!DOCTYPE html><html dir="ltr"><head><meta charset="utf-8"><script>var $Config={}</script></head><body><form name="f1" method="post" action="https://login.microsoftonline.com/common/login"><input type="email" name="loginfmt" id="i0116"><input type="submit" value="Next"></form></body></html>',
    );
    expect(e.code).toBe('login_required');
  });

  it("an Okta widget page whose only words are the widget's heading", async () => {
    const e = await answerTo(
      200,
      '<html><body><div id="okta-sign-in"><div class="okta-form-title"><h2>Sign In</h2></div></div><script src="/js/okta-sign-in.min.js"></script></body></html>',
    );
    expect(e.code).toBe('login_required');
  });

  it('a short page that says a login is required', async () => {
    expect((await answerTo(200, '<html><body><p>You must log in to view this resource.</p></body></html>')).code).toBe('login_required');
    expect((await answerTo(200, '<html><body><b>Authentication required.</b> Your session has expired.</body></html>')).code).toBe(
      'login_required',
    );
  });
});

describe('pages that mention logging in, but are not sign-in pages', () => {
  it('a maintenance page pointing engineers to a status page', async () => {
    const e = await answerTo(
      200,
      '<html><body><h1>Maintenance</h1><p>ServiceNow is down for maintenance until 22:00 UTC. Engineers can log in to status.example.com for updates.</p></body></html>',
    );
    expect(e.code).toBe('bad_response');
    expect(e.message).toContain('HTML page');
    expect(e.message).toContain('where JSON was expected');
  });

  it('an error page that asks to log in somewhere else to look into it', async () => {
    const e = await answerTo(
      200,
      '<html><body><h1>Error: upstream timed out</h1><p>Please log in to the admin console to check the upstream.</p></body></html>',
    );
    expect(e.code).toBe('bad_response');
  });

  it('a 502 page, whatever it says about logging in, keeps its status and is quoted', async () => {
    const e = await answerTo(
      502,
      '<html><body><h1>502 Bad Gateway</h1><p>Please log in to the admin console to check the upstream.</p></body></html>',
    );
    expect(e.code).not.toBe('login_required');
    expect(e.message).toContain('502 Bad Gateway');
  });

  it('a long help page with "please log in" in the middle of its text and a Log in link in its menu', async () => {
    const filler = 'Incidents are records of unplanned interruptions to a service. '.repeat(10);
    const e = await answerTo(
      200,
      `<html><body><nav><a href="/login">Log in</a></nav><h1>Help: incidents</h1><p>${filler} To see your own incidents please log in first.</p></body></html>`,
    );
    expect(e.code).toBe('bad_response');
  });

  it('a 401 page stays unauthorized (its token refresh and message), quoting the page', async () => {
    const e = await answerTo(401, '<html><body><p>You must log in to view this resource.</p></body></html>');
    expect(e.code).toBe('unauthorized');
    expect(e.message).toContain('You must log in to view this resource.');
  });
});
