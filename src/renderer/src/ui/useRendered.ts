// Whether an element is laid out at all: false while its screen's tab panel is hidden (display: none), so a hidden
// screen can let go of the camera or the preview stream instead of working for nobody.
import { useEffect, useState, type RefObject } from 'react';

export function useRendered(element: RefObject<HTMLElement | null>): boolean {
  const [rendered, setRendered] = useState(true);
  useEffect(() => {
    const target = element.current;
    if (target === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const box = entries.at(-1)?.contentRect;
      if (box) setRendered(box.width > 0 || box.height > 0);
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [element]);
  return rendered;
}
