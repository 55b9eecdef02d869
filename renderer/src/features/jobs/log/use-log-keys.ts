import { useEffect } from 'react';
import type { RefObject } from 'react';
import { isTypingTarget } from '../../../app/shell/keyboard';

// The log's keys, anywhere in the job view: Ctrl/Cmd+F and / focus the search, F3 and Shift+F3 step through
// matches, End follows new lines, Home goes to the first line. Keys typed into a field are left alone.

export function useLogKeys(o: {
  searchRef: RefObject<HTMLInputElement | null>;
  step: (delta: number) => void;
  follow: () => void;
  top: () => void;
}): void {
  const { searchRef, step, follow, top } = o;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.altKey) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (e.key === 'F3') {
        e.preventDefault();
        step(e.shiftKey ? -1 : 1);
        return;
      }
      if (isTypingTarget(e.target) || mod) return;
      if (e.key === 'End') {
        e.preventDefault();
        follow();
      } else if (e.key === 'Home') {
        e.preventDefault();
        top();
      } else if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [searchRef, step, follow, top]);
}
