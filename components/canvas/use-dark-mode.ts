'use client';
/** Dark mode: the system's preference until the user toggles it, then theirs (kept in the browser). */
import { useCallback, useEffect, useState } from 'react';

export function useDarkMode(): [boolean, () => void] {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const stored = localStorage.getItem('tokenloom:dark');
    setDark(stored ? stored === '1' : window.matchMedia('(prefers-color-scheme: dark)').matches);
  }, []);
  useEffect(() => {
    document.documentElement.classList.toggle('dark', dark);
  }, [dark]);
  const toggle = useCallback(() => {
    setDark((d) => {
      localStorage.setItem('tokenloom:dark', d ? '0' : '1');
      return !d;
    });
  }, []);
  return [dark, toggle];
}
