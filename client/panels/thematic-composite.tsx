import { useState } from 'preact/hooks';
import type { Indicator } from '../../shared/indicators-schemas';
import { toLatinDigits } from '../../shared/persian-text';
import { apiUrl, request } from '../api';
import type { Lang } from '../i18n';
import { thematicStrings } from './thematic-strings';
import { useAction } from './use-action';

interface Props {
  lang: Lang;
  /** What a composite may combine: every indicator that is not itself a composite. */
  indicators: Indicator[];
  /** The new composite's key, to map it at once. */
  onCreated(key: string): void;
}

/**
 * A composite index: chosen indicators with weights (POST /api/indicators/composites). The
 * server scales each to 0–1 over the neighbourhoods and takes the weighted mean as a score
 * of 0–100; a negative weight counts an indicator the other way round.
 */
export function CompositeForm({ lang, indicators, onCreated }: Props) {
  const t = thematicStrings[lang].composite;
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [weights, setWeights] = useState<Record<string, string>>({});
  const { busy, message, setMessage, run } = useAction();

  const parts = Object.entries(weights)
    .map(([key, text]) => ({ key, weight: Number(toLatinDigits(text).replace('٫', '.')) }))
    .filter((p) => Number.isFinite(p.weight) && p.weight !== 0);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (parts.length < 2) {
      setMessage({ text: t.fewParts, error: true });
      return;
    }
    await run(async () => {
      const created = await request<Indicator>(apiUrl('/api/indicators/composites'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ slug: slug.trim(), name_fa: name.trim(), parts }),
      });
      setMessage({ text: t.saved(lang === 'fa' ? created.name_fa : created.name_en), error: false });
      onCreated(created.key);
    });
  };

  return (
    <details class="thematic__details thematic__composite">
      <summary>{t.title}</summary>
      <form onSubmit={submit}>
        <label class="thematic__field">
          <span>{t.name}</span>
          <input name="composite_name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="thematic__field">
          <span>{t.slug}</span>
          <input name="composite_slug" required dir="ltr" pattern="[a-z][a-z0-9_]{0,39}" value={slug}
            onInput={(e) => setSlug(e.currentTarget.value)} />
          <small>{t.slugHelp}</small>
        </label>
        <p class="thematic__note">{t.weightHelp}</p>
        <ul class="thematic__weights">
          {indicators.map((i) => {
            const label = lang === 'fa' ? i.name_fa : i.name_en;
            return (
              <li key={i.key}>
                <span>{label}</span>
                <input type="text" inputMode="decimal" dir="ltr" name={`weight:${i.key}`} aria-label={t.weight(label)}
                  value={weights[i.key] ?? ''} placeholder="0"
                  onInput={(e) => setWeights({ ...weights, [i.key]: e.currentTarget.value })} />
              </li>
            );
          })}
        </ul>
        {message && <p class={`thematic__note${message.error ? ' thematic__note--error' : ''}`} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
        <button type="submit" class="pill-button" disabled={busy}>{t.save}</button>
      </form>
    </details>
  );
}
