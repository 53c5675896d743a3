import { useEffect, useRef } from 'preact/hooks';

// Esc closes the panel on top: the one opened last among those open. One window listener for
// all of them, so a single press never closes two. Dialogs and pop-ups inside a panel (a month
// view, the sign-in dialog) stop Esc themselves before it gets here. A panel leaves the stack the
// moment Esc closes it: its effect's cleanup runs only after the next paint, and a second quick
// press must reach the panel below, not the one already closing.

interface Entry {
  close(): void;
}

const stack: Entry[] = [];

function onKeyDown(event: KeyboardEvent): void {
  if (event.key !== 'Escape' || event.defaultPrevented) return;
  const top = stack.pop();
  if (!top) return;
  event.preventDefault();
  top.close();
}

/** While `open`, this panel is on the Esc stack; opening it again puts it on top. */
export function useEscapeToClose(open: boolean, close: () => void): void {
  const latest = useRef(close);
  latest.current = close;
  useEffect(() => {
    if (!open) return;
    const entry: Entry = { close: () => latest.current() };
    stack.push(entry);
    if (stack.length === 1) window.addEventListener('keydown', onKeyDown);
    return () => {
      const index = stack.indexOf(entry);
      if (index >= 0) stack.splice(index, 1);
      if (stack.length === 0) window.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);
}
