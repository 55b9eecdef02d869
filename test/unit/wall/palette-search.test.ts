import { describe, expect, it } from 'vitest';
import { rankItems, wordScore } from '../../../renderer/src/features/workstation/palette-search';
import type { PaletteItem } from '../../../renderer/src/features/workstation/palette-search';

const items: PaletteItem[] = [
  { id: 'view:slos', kind: 'view', title: 'SLOs', keywords: ['go', 'slos'] },
  { id: 'view:incidents', kind: 'view', title: 'Incidents', keywords: ['go', 'incidents'] },
  {
    id: 'slo:checkout',
    kind: 'slo',
    title: 'Checkout without a 5xx',
    subtitle: 'checkout · 71 % budget left',
    keywords: ['checkout-availability', 'checkout'],
  },
  { id: 'slo:search', kind: 'slo', title: 'Search answers within 300 ms', subtitle: 'search', keywords: ['search-latency'] },
  { id: 'rb:restart', kind: 'runbook', title: 'Restart a service', keywords: ['restart-service', 'checkout'] },
  {
    id: 'inc:1',
    kind: 'incident',
    title: 'INC0010001 Checkout returns 502',
    subtitle: 'P1 · In Progress',
    keywords: ['INC0010001', 'web-07'],
  },
  { id: 'job:1', kind: 'job', title: '#41 Restart service', subtitle: 'successful · Demo AWX', keywords: ['41'] },
  { id: 'act:theme', kind: 'action', title: 'Switch to the light theme', keywords: ['theme'] },
];

const ids = (q: string): string[] => rankItems(items, q).map((r) => r.item.id);

describe('command palette ranking', () => {
  it('with no query lists views and actions only, in their order', () => {
    expect(ids('')).toEqual(['view:slos', 'view:incidents', 'act:theme']);
  });

  it('puts an exact incident number first', () => {
    expect(ids('inc0010001')[0]).toBe('inc:1');
  });

  it('ranks a title match above a keyword match above a subtitle match', () => {
    expect(ids('checkout')).toEqual(['slo:checkout', 'inc:1', 'rb:restart']);
  });

  it('needs every word to match somewhere', () => {
    expect(ids('restart service')).toEqual(['rb:restart', 'job:1']);
    expect(ids('restart nothing-like-this')).toEqual([]);
  });

  it('ties go to the kind order (incidents, SLOs, runbooks, jobs…) then the title', () => {
    expect(ids('restart')).toEqual(['rb:restart', 'job:1']);
  });

  it('among equal matches of one kind, the newest job first', () => {
    const jobs: PaletteItem[] = [164, 212, 187].map((n) => ({ id: `job:${n}`, kind: 'job', title: `#${n} Restart service`, recency: n }));
    expect(rankItems(jobs, 'restart').map((r) => r.item.id)).toEqual(['job:212', 'job:187', 'job:164']);
  });

  it('a full list keeps every kind that matched: sixty incidents do not push out the runbook and the jobs', () => {
    const many: PaletteItem[] = [
      ...Array.from({ length: 60 }, (_, i) => ({
        id: `inc:${i}`,
        kind: 'incident' as const,
        title: `INC00${11300 + i} [Prometheus] DiskAlmostFull: /var on web-${i} is 93% full`,
      })),
      { id: 'rb:disk', kind: 'runbook', title: 'Free disk space on a host' },
      ...[165, 212].map((n) => ({ id: `job:${n}`, kind: 'job' as const, title: `#${n} Disk cleanup`, recency: n })),
    ];
    const got = rankItems(many, 'disk').map((r) => r.item.id);
    expect(got).toHaveLength(40);
    expect(got).toContain('rb:disk');
    expect(got).toContain('job:212');
    // Order is still by match, then kind: the jobs' title prefix ("Disk cleanup" after the number) is a word
    // start like the others, so incidents, then the runbook, then the jobs, newest first.
    expect(got.slice(-3)).toEqual(['rb:disk', 'job:212', 'job:165']);
  });

  it('scores prefix over word start over substring, and a scattered subsequence a little', () => {
    const it: PaletteItem = { id: 'x', kind: 'slo', title: 'Storefront availability' };
    expect(wordScore('storefront availability', it)).toBe(100);
    expect(wordScore('store', it)).toBe(70);
    expect(wordScore('avail', it)).toBe(50);
    expect(wordScore('front', it)).toBe(30);
    // Fuzzy only on the initials of the title's words.
    expect(wordScore('sa', it)).toBe(4);
    expect(wordScore('sfa', it)).toBe(0);
    expect(wordScore('zzz', it)).toBe(0);
  });

  it('treats regex characters in the query literally', () => {
    expect(() => rankItems(items, '(#41 [')).not.toThrow();
    expect(ids('#41')).toEqual(['job:1']);
  });

  it('an incident number is exact or a prefix, never a near miss', () => {
    const incs: PaletteItem[] = ['INC0010375', 'INC0010237', 'INC0010037', 'INC0013750'].map((n) => ({
      id: n,
      kind: 'incident' as const,
      title: `${n} Disk full on db-0${n.slice(-1)}`,
      keywords: [n],
    }));
    const found = (q: string): string[] => rankItems(incs, q).map((r) => r.item.id);
    expect(found('INC0010375')).toEqual(['INC0010375']);
    expect(found('inc0010375')).toEqual(['INC0010375']);
    expect(found('INC00103')).toEqual(['INC0010375']);
    expect(found('0010375')).toEqual([]);
    expect(found('INC001')).toHaveLength(4);
  });

  it('"notif" and "theme" find the commands, not incidents whose long titles hold those letters scattered', () => {
    const list: PaletteItem[] = [
      ...items,
      { id: 'act:notif', kind: 'action', title: 'Notification settings', keywords: ['notifications'] },
      // n…o…t…i…f and t…h…e…m…e are scattered through these titles.
      { id: 'inc:2', kind: 'incident', title: 'INC0010002 Node not responding after firmware update', keywords: ['INC0010002'] },
      { id: 'inc:3', kind: 'incident', title: 'INC0010003 The heap metrics exporter crashed', keywords: ['INC0010003'] },
    ];
    const found = (q: string): string[] => rankItems(list, q).map((r) => r.item.id);
    expect(found('notif')).toEqual(['act:notif']);
    expect(found('theme')).toEqual(['act:theme']);
  });

  it('fuzzy initials count only when nothing matches for real', () => {
    const list: PaletteItem[] = [
      { id: 'slo:sa', kind: 'slo', title: 'Storefront availability' },
      { id: 'rb:sa', kind: 'runbook', title: 'Salt apply', keywords: ['sa'] },
    ];
    expect(rankItems(list, 'sa').map((r) => r.item.id)).toEqual(['rb:sa']);
    expect(rankItems(list.slice(0, 1), 'sa').map((r) => r.item.id)).toEqual(['slo:sa']);
  });

  it("finds words in a runbook body passage and in an incident's work notes, below title matches", () => {
    const list: PaletteItem[] = [
      { id: 'rb:dns', kind: 'runbook', title: 'Flush the resolver cache', text: '…then run rndc flush on every resolver…' },
      { id: 'inc:9', kind: 'incident', title: 'INC0010009 Slow logins', text: 'Work note: rolled back rndc config change 4711' },
      { id: 'rb:rndc', kind: 'runbook', title: 'rndc reload' },
    ];
    expect(rankItems(list, 'rndc').map((r) => r.item.id)).toEqual(['rb:rndc', 'inc:9', 'rb:dns']);
    expect(rankItems(list, '4711').map((r) => r.item.id)).toEqual(['inc:9']);
    // Inside a word counts in a title, not in long text ("ndc" is in every "rndc" of a body).
    expect(rankItems(list, 'ndc').map((r) => r.item.id)).toEqual(['rb:rndc']);
  });
});
