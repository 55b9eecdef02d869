import { describe, expect, it } from 'vitest';
import { rotate, secondsLeft, startRotation } from '../../../renderer/src/features/wall/rotation';
import type { RotationState } from '../../../renderer/src/features/wall/rotation';

const I = 10_000;

/** Runs the rotation second by second and records the page on screen at each second. */
function run(from: RotationState, seconds: number, red: (t: number) => boolean[]): number[] {
  let s = from;
  const shown: number[] = [];
  for (let t = 1; t <= seconds; t++) {
    s = rotate(s, red(t), t * 1000, I);
    shown.push(s.index);
  }
  return shown;
}

describe('wall rotation', () => {
  it('shows each page for the interval, in order, and wraps around', () => {
    const shown = run(startRotation(0), 35, () => [false, false, false]);
    expect(shown.slice(0, 9).every((i) => i === 0)).toBe(true);
    expect(shown[9]).toBe(1);
    expect(shown[19]).toBe(2);
    expect(shown[29]).toBe(0);
  });

  it('goes to a page as soon as it turns red and stays there until it clears', () => {
    const red = (t: number): boolean[] => [false, false, t >= 3 && t < 40];
    const shown = run(startRotation(0), 60, red);
    expect(shown.slice(0, 2)).toEqual([0, 0]);
    // Red at t=3: on screen at once, held for 37 s (more than three intervals).
    expect(new Set(shown.slice(2, 39))).toEqual(new Set([2]));
    // Cleared at t=40: rotation resumes after a full interval.
    expect(shown.slice(39, 49).every((i) => i === 2)).toBe(true);
    expect(shown[49]).toBe(0);
  });

  it('rotates among the red pages only when several are red', () => {
    const shown = run(startRotation(0), 50, () => [true, false, true, false]);
    expect(new Set(shown)).toEqual(new Set([0, 2]));
    expect(shown[0]).toBe(0);
    expect(shown[10]).toBe(2);
    expect(shown[20]).toBe(0);
  });

  it('says pinned, and no countdown, while a red page is held', () => {
    const v = rotate({ index: 1, since: 0, pinned: false }, [false, true], 3000, I);
    expect(v).toMatchObject({ index: 1, pinned: true });
    expect(secondsLeft(v, 3000, I)).toBeNull();
    const free = rotate({ index: 0, since: 0, pinned: false }, [false, false], 3000, I);
    expect(secondsLeft(free, 3000, I)).toBe(7);
  });

  it('survives the page list shrinking and an empty list', () => {
    expect(rotate({ index: 4, since: 0, pinned: false }, [false, false], 1000, I)).toMatchObject({ index: 0, pinned: false });
    expect(rotate({ index: 2, since: 0, pinned: true }, [], 1000, I)).toMatchObject({ index: 0, pinned: false });
  });

  it('keeps constant state over weeks of rotation (three fields, no history)', () => {
    let s = startRotation(0);
    for (let t = 1; t <= 200_000; t++) {
      s = rotate(s, [t % 5000 < 100, false, false], t * 1000, I);
    }
    expect(Object.keys(s).sort()).toEqual(['index', 'pinned', 'since']);
  });
});
