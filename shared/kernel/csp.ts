// The one Content-Security-Policy of the renderer, sent by the app:// protocol handler and by `toc serve`.
// No inline script or style, no remote anything: the renderer talks to main only, never to the network.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
