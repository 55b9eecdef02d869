// Error messages from the core name their system ("Demo Prometheus: nothing is listening at …"), which is right
// where the message stands alone. Where the screen already names the system next to it (a card's footer, a
// banner's "Demo Prometheus unreachable —"), the second mention is noise: this takes it out of the message.

/**
 * `text` without its mention of `name`: the first "NAME: " anywhere, else a leading "NAME " ("Demo ServiceNow did
 * not answer …"). Any other text is kept; the case of what remains is the caller's to choose.
 */
export function withoutSystemName(text: string, name: string): string {
  if (!name) return text;
  const colon = `${name}: `;
  const at = text.indexOf(colon);
  if (at >= 0) return text.slice(0, at) + text.slice(at + colon.length);
  if (text.startsWith(`${name} `)) return text.slice(name.length + 1);
  return text;
}

/** "nothing is listening …" → "Nothing is listening …": for a message that stands as its own sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
