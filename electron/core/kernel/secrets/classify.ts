// Turns the keychain's own error words into a failure class and tells the user what to do about it.
// The patterns are the messages libsecret/GDBus, the macOS Security framework and Windows actually produce
// (collected from the keytar, VS Code and GitHub Desktop trackers and reproduced against gnome-keyring here).

import type { SecretFailureState } from './secret-store';

interface Rule {
  state: SecretFailureState;
  pattern: RegExp;
}

// Order matters: the first match wins, and GDBus prefixes remote errors with their D-Bus name
// ("GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name … was not provided …").
const RULES: readonly Rule[] = [
  // GDBus G_IO_ERROR_TIMED_OUT, including a bus that waited for a keyring that never started
  // ("Error calling StartServiceByName for org.freedesktop.secrets: Timeout was reached").
  { state: 'timeout', pattern: /timeout was reached|timed out/i },

  // No session bus: unset or empty DBUS_SESSION_BUS_ADDRESS without X11, a bad address, a dead bus.
  { state: 'no-dbus', pattern: /cannot autolaunch d-?bus|autolaunch|dbus-launch/i },
  { state: 'no-dbus', pattern: /DBUS_SESSION_BUS_ADDRESS|address is empty|address element|could not connect|failed to connect to socket/i },
  { state: 'no-dbus', pattern: /the connection is closed|disconnected from (the )?bus/i },

  // A bus without any Secret Service provider, or the provider went away (then GDBus names its unique name ":1.N").
  { state: 'no-daemon', pattern: /was not provided by any \.service files|ServiceUnknown|org\.freedesktop\.secrets/i },
  {
    state: 'no-daemon',
    pattern: /session wrapping the secret does not exist|no such (secret )?service|secret service.*(not available|unavailable)/i,
  },

  // Locked keyring, a prompt that was dismissed or could not be shown, or no default keyring to write to.
  { state: 'locked', pattern: /locked collection|is locked|keyring is locked|\blocked\b/i },
  { state: 'locked', pattern: /prompt.*(dismissed|cancel)|dismissed|user cancel+ed|canceled by user|cancel+ed/i },
  { state: 'locked', pattern: /object does not exist at path .*\/collection\//i },
  // macOS: errSecInteractionNotAllowed (-25308), errSecAuthFailed (-25293), errSecUserCanceled (-128).
  { state: 'locked', pattern: /user interaction is not allowed|passphrase you entered is not correct|-25308|-25293|-128\b/i },
  // macOS: errSecNotAvailable (-25291) "No keychain is available".
  { state: 'no-daemon', pattern: /no keychain is available|-25291/i },

  // The native module itself: missing build, missing libsecret, wrong ABI.
  {
    state: 'unavailable',
    pattern:
      /cannot find module|cannot open shared object|NODE_MODULE_VERSION|was compiled against|invalid ELF|not a valid Win32|keytar\.node/i,
  },
];

export function classifyKeychainError(message: string): SecretFailureState {
  for (const rule of RULES) if (rule.pattern.test(message)) return rule.state;
  return 'unknown';
}

/**
 * libsecret keeps its connection to the Secret Service daemon it first talked to. When that daemon stops, every
 * later call in this process names the dead unique name (":1.5") or its session, even after a new daemon has
 * started (reproduced with gnome-keyring 42): only a restart of the app reconnects.
 */
export function isDaemonLost(message: string): boolean {
  return /the name :\d+\.\d+ was not provided|session wrapping the secret does not exist/i.test(message);
}

const SESSION_ONLY = 'Until then, secrets you enter are kept in memory for this session only; they are never written to disk.';

export function remedyFor(state: SecretFailureState, platform: NodeJS.Platform, reason = '', timeoutMs = 5000): string {
  const seconds = Math.round(timeoutMs / 100) / 10;
  if (platform === 'darwin') {
    switch (state) {
      case 'locked':
        return `Your login keychain is locked or TOC Console was denied access. Unlock it in Keychain Access and choose "Always Allow" when macOS asks, then press Retry. ${SESSION_ONLY}`;
      case 'timeout':
        return `The keychain did not answer within ${seconds} s: macOS is probably waiting for you to allow access or to unlock the keychain. Answer the prompt, then press Retry. ${SESSION_ONLY}`;
      case 'unavailable':
        return `The keychain module could not be loaded; reinstall TOC Console. ${SESSION_ONLY}`;
      case 'no-daemon':
      case 'no-dbus':
        return `No keychain is available to this session (for example when started over SSH). Start TOC Console from your desktop login, then press Retry. ${SESSION_ONLY}`;
      case 'unknown':
        return `The keychain reported an unexpected error. Check the login keychain with Keychain Access (Keychain First Aid), then press Retry. ${SESSION_ONLY}`;
    }
  }
  if (platform === 'win32') {
    switch (state) {
      case 'unavailable':
        return `The keychain module could not be loaded; reinstall TOC Console. ${SESSION_ONLY}`;
      case 'timeout':
        return `Windows Credential Manager did not answer within ${seconds} s. Check for a pending Windows security prompt, then press Retry. ${SESSION_ONLY}`;
      default:
        return `Windows Credential Manager refused the request. Open Control Panel › Credential Manager › Windows Credentials; if it is full or locked by policy, remove old entries or ask your administrator, then press Retry. ${SESSION_ONLY}`;
    }
  }
  // Linux and the BSDs: the Secret Service API over the D-Bus session bus (gnome-keyring, KWallet, KeePassXC).
  switch (state) {
    case 'no-dbus':
      return `There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset or the bus is gone), which is common over SSH, in containers and in headless sessions. Start TOC Console from a desktop session, or under "dbus-run-session" with a keyring daemon running, then restart it. ${SESSION_ONLY}`;
    case 'no-daemon':
      if (isDaemonLost(reason)) {
        return `The keyring daemon stopped while TOC Console was running, and the connection to it cannot be re-established from inside the app. Make sure gnome-keyring (or KWallet) is running, then restart TOC Console. ${SESSION_ONLY}`;
      }
      return `No Secret Service provider is running. Install and start gnome-keyring ("gnome-keyring-daemon --start --components=secrets"), or enable the Secret Service integration of KWallet or KeePassXC, then press Retry. ${SESSION_ONLY}`;
    case 'locked':
      return `The login keyring is locked, or no default keyring exists and the prompt to create one could not be shown. Unlock or create it (Passwords and Keys / Seahorse, or log out and back in), then press Retry. ${SESSION_ONLY}`;
    case 'timeout':
      return `The keyring did not answer within ${seconds} s, usually because an unlock prompt is waiting on a screen nobody sees or the keyring daemon hangs. Answer or cancel the prompt, then press Retry. ${SESSION_ONLY}`;
    case 'unavailable':
      return `The keychain module (keytar) could not be loaded. Make sure libsecret is installed ("libsecret-1-0" on Debian/Ubuntu), or reinstall TOC Console. ${SESSION_ONLY}`;
    case 'unknown':
      return `The keyring reported an unexpected error. Check that it works (for example with "secret-tool" or Seahorse), then press Retry. ${SESSION_ONLY}`;
  }
}
