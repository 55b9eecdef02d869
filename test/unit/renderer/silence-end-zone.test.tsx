// @vitest-environment jsdom
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setZoneMode } from '../../../renderer/src/app/format/time';
import { endsAtOf, emptyDraft, toLocalInput } from '../../../renderer/src/features/alerts/silence-draft';

// A silence's "Ends at" is typed in the zone the console shows (Settings → Time zone): a NOC on UTC types
// 14:05 and means 14:05 UTC, and the preview beside it says so. The browser's own zone is only the default.
// This file runs in Berlin so that local and UTC differ (CET is UTC+1 in March).

const savedTz = process.env.TZ;
process.env.TZ = 'Europe/Berlin';
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});
afterEach(() => setZoneMode('local'));

const NOW = Date.UTC(2026, 1, 1, 12, 0);
const draft = (customEnd: string) => ({ ...emptyDraft('j.doe'), duration: 'custom' as const, customEnd });

describe('silence end typed in the console’s zone', () => {
  it('the process really is in Berlin (else this file proves nothing)', () => {
    expect(new Date(Date.UTC(2026, 2, 1)).getTimezoneOffset()).toBe(-60);
  });

  it('UTC setting: 14:05 typed is 14:05 UTC, and the field is prefilled in UTC', () => {
    setZoneMode('utc');
    expect(endsAtOf(draft('2026-03-01T14:05'), NOW)).toBe('2026-03-01T14:05:00.000Z');
    expect(toLocalInput(Date.UTC(2026, 2, 1, 14, 5))).toBe('2026-03-01T14:05');
  });

  it('local setting: 14:05 typed is 14:05 in Berlin (13:05 UTC)', () => {
    setZoneMode('local');
    expect(endsAtOf(draft('2026-03-01T14:05'), NOW)).toBe('2026-03-01T13:05:00.000Z');
    expect(toLocalInput(Date.UTC(2026, 2, 1, 13, 5))).toBe('2026-03-01T14:05');
  });

  it('what is not a time stays no end', () => {
    setZoneMode('utc');
    expect(endsAtOf(draft(''), NOW)).toBeNull();
    expect(endsAtOf(draft('tomorrow'), NOW)).toBeNull();
  });
});
