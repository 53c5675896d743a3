import { useState } from 'preact/hooks';
import type { SearchItem } from '../../shared/search-schemas';
import { strings, type Lang } from '../i18n';
import { useSearch } from './use-search';

interface Props {
  lang: Lang;
  onPick(item: SearchItem): void;
}

export function SearchBox({ lang, onPick }: Props) {
  const t = strings[lang];
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const { results, status, resolve } = useSearch(query);

  const pick = (item: SearchItem) => {
    setQuery(lang === 'fa' ? item.name_fa : item.name_en ?? item.name_fa);
    setOpen(false);
    onPick(item);
  };

  const onKeyDown = async (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (results.length ? (i + step + results.length) % results.length : 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const found = await resolve();
      const choice = found[active] ?? found[0];
      if (choice) pick(choice);
      else setOpen(true);
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  };

  const showList = open && query.trim() !== '' && status !== 'idle';
  const listId = 'search-results';

  return (
    <div class="search" role="search">
      <svg class="search__icon" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="10.5" cy="10.5" r="6.5" />
        <path d="M15.5 15.5 21 21" />
      </svg>
      <input
        class="search__input"
        type="search"
        value={query}
        placeholder={t.searchPlaceholder}
        aria-label={t.searchLabel}
        aria-controls={listId}
        aria-autocomplete="list"
        autocomplete="off"
        spellcheck={false}
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <ul class="search__results" id={listId} role="listbox">
          {results.map((item, index) => {
            const primary = lang === 'fa' ? item.name_fa : item.name_en ?? item.name_fa;
            // What the item is: a neighbourhood says its county, the others their kind.
            const secondary = item.kind === 'neighbourhood' ? item.county_fa ?? '' : t.searchKind[item.kind];
            return (
              <li
                key={`${item.kind}-${item.id}`}
                role="option"
                aria-selected={index === active}
                data-kind={item.kind}
                class={index === active ? 'search__result is-active' : 'search__result'}
                // mousedown, not click: the input's blur would close the list before a click lands.
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(item);
                }}
                onMouseEnter={() => setActive(index)}
              >
                <span class={`search__kind search__kind--${item.kind}`} aria-hidden="true" />
                <span class="search__name">{primary}</span>
                <span class="search__county">{secondary}</span>
              </li>
            );
          })}
          {status === 'done' && results.length === 0 && <li class="search__empty">{t.searchNoResults}</li>}
          {status === 'error' && <li class="search__empty">{t.searchFailed}</li>}
          {status === 'searching' && results.length === 0 && <li class="search__empty">{t.loading}</li>}
        </ul>
      )}
    </div>
  );
}
