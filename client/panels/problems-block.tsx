import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { formatNumber, type Lang } from '../i18n';
import { hasDraft } from './use-draft';

interface Props {
  lang: Lang;
  /** The heading's id, which labels the section. */
  titleId: string;
  title: string;
  count: number;
  /** Shown instead of the items when there are none. */
  emptyText: string | null;
  compact?: boolean;
  canWrite: boolean;
  /** The add button's name (tests and forms find it by name) and label. */
  addName: string;
  addLabel: string;
  /** The add form's draft: when one is kept (the page was reloaded mid-form), the form opens with it. */
  draftKey?: string;
  /** The add form, shown in the button's place until it calls `onDone`. */
  form(onDone: () => void): ComponentChildren;
  children: ComponentChildren;
}

/** One list of the neighbourhood's method section (problems, interventions, networks): a counted heading, the items, and an add form behind a button. */
export function MethodBlock(props: Props) {
  const { lang, titleId, canWrite } = props;
  const [adding, setAdding] = useState(() => props.draftKey !== undefined && hasDraft(props.draftKey));
  return (
    <section class="method-block" aria-labelledby={titleId}>
      <h3 class="method-block__title" id={titleId}>
        {props.title} <span class="method-count">{formatNumber(props.count, lang)}</span>
      </h3>
      {props.emptyText !== null && <p class="method-empty">{props.emptyText}</p>}
      <ul class={props.compact ? 'method-items method-items--compact' : 'method-items'}>{props.children}</ul>
      {canWrite && !adding && (
        <button type="button" class="method-button method-button--add" name={props.addName} onClick={() => setAdding(true)}>+ {props.addLabel}</button>
      )}
      {canWrite && adding && props.form(() => setAdding(false))}
    </section>
  );
}
