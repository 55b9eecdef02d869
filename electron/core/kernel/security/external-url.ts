// shell.openExternal hands a URL to the OS; only web links the user clicked may go there. file:, smb:,
// javascript:, custom schemes and URLs with credentials are refused (Electron security checklist #15).
export function isSafeExternalUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  if (u.username || u.password) return false;
  if (!u.hostname) return false;
  return true;
}
