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

  it('scores prefix over word start over substring, and a scattered subsequence a little', () => {
    const it: PaletteItem = { id: 'x', kind: 'slo', title: 'Storefront availability' };
    expect(wordScore('storefront availability', it)).toBe(100);
    expect(wordScore('store', it)).toBe(70);
    expect(wordScore('avail', it)).toBe(50);
    expect(wordScore('front', it)).toBe(30);
    expect(wordScore('sfa', it)).toBe(4);
    expect(wordScore('zzz', it)).toBe(0);
  });

  it('treats regex characters in the query literally', () => {
    expect(() => rankItems(items, '(#41 [')).not.toThrow();
    expect(ids('#41')).toEqual(['job:1']);
  });
});
