import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import './confirm-question.css';

interface Props {
  question: ComponentChildren;
  yes: string;
  no: string;
  onAnswer(yes: boolean): void;
  /** While the answer is being carried out: yes cannot be pressed twice. */
  busy?: boolean;
  /** Yes deletes or revokes something: drawn in red. */
  danger?: boolean;
  /** Names of the two buttons, for the tests and for anyone reading the page's HTML. */
  yesName?: string;
  noName?: string;
}

/**
 * A question asked in the page, where the action was asked for, instead of the browser's confirm
 * dialog: that one takes the user out of the panel, speaks neither the interface's language nor
 * its direction, and cannot be told apart from a page pretending to be the browser. It behaves as
 * the browser's does: focus goes to yes, so Enter answers yes and Esc answers no (Esc goes no
 * further: the panel it sits in stays open). When it goes, focus goes back to where it was, the
 * button that asked, when that button is still on the page.
 */
export function ConfirmQuestion({ question, yes, no, onAnswer, busy = false, danger = false, yesName, noName }: Props) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const yesButton = useRef<HTMLButtonElement>(null);
  // As it appears, not a frame later: a key pressed at once must reach the question.
  useLayoutEffect(() => {
    const opener = document.activeElement;
    yesButton.current?.focus();
    return () => {
      const focus = document.activeElement;
      const lost = !focus || focus === document.body || box.current?.contains(focus);
      if (lost && opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onAnswer(false);
  };
  return (
    <div ref={box} class="confirm" role="alertdialog" aria-labelledby={id} onKeyDown={onKeyDown}>
      <p class="confirm__question" id={id}>{question}</p>
      <div class="confirm__actions">
        <button ref={yesButton} type="button" class={danger ? 'confirm__yes confirm__yes--danger' : 'confirm__yes'} name={yesName}
          disabled={busy} onClick={() => onAnswer(true)}>
          {yes}
        </button>
        <button type="button" class="confirm__no" name={noName} onClick={() => onAnswer(false)}>{no}</button>
      </div>
    </div>
  );
}
