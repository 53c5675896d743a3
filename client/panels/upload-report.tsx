import type { ComponentChildren } from 'preact';
import { formatNumber, type Lang } from '../i18n';
import type { Upload } from '../boundaries-api';
import { CHANGE_COLOURS } from '../map/upload-preview-layers';
import { uploadStrings } from './upload-strings';
import { rejectionText } from './upload-reasons';

/** The validation report and the diff of a preview, as lists a GIS user can act on. */

const SHOWN = 30;

function Section({ title, count, lang, open, children }: { title: string; count: number; lang: Lang; open?: boolean; children: ComponentChildren }) {
  if (count === 0) return null;
  return (
    <details class="upload-report__section" open={open ?? count <= 5}>
      <summary>
        {title} <span class="upload-report__count">{formatNumber(count, lang)}</span>
      </summary>
      {children}
    </details>
  );
}

function Items<T>({ items, lang, render }: { items: T[]; lang: Lang; render(item: T): ComponentChildren }) {
  return (
    <ul class="upload-report__list">
      {items.slice(0, SHOWN).map((item, i) => <li key={i}>{render(item)}</li>)}
      {items.length > SHOWN && <li class="upload-report__more">… +{formatNumber(items.length - SHOWN, lang)}</li>}
    </ul>
  );
}

function FeatureName({ code, name, index, lang }: { code: string | null; name: string | null; index: number | null; lang: Lang }) {
  const t = uploadStrings[lang];
  return (
    <span class="upload-report__feature">
      {name ?? (index !== null ? t.feature(formatNumber(index + 1, lang)) : '')}
      {code && <bdi class="upload-report__code" dir="ltr">{code}</bdi>}
    </span>
  );
}

/**
 * When nothing was accepted the reasons are what the uploader needs first: each distinct
 * reason once, with how many features it stopped (often one cause, such as no field mapped
 * to the code, stops them all).
 */
function ReasonSummary({ report, lang }: { report: Upload['report']; lang: Lang }) {
  const t = uploadStrings[lang];
  const counts = new Map<string, number>();
  for (const r of report.rejected) {
    const sentence = `${t.reasons[r.reason]}: ${rejectionText(r.reason, r.values ?? {}, lang)}`;
    counts.set(sentence, (counts.get(sentence) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  return (
    <div class="upload-report__none" role="alert">
      <p>{t.nothingAccepted(formatNumber(report.features, lang))}</p>
      <ul class="upload-report__list">
        {sorted.slice(0, 8).map(([sentence, count]) => (
          <li key={sentence}><strong>{formatNumber(count, lang)} ×</strong> {sentence}</li>
        ))}
      </ul>
    </div>
  );
}

export function UploadReport({ upload, lang }: { upload: Upload; lang: Lang }) {
  const t = uploadStrings[lang];
  const { report } = upload;
  const n = (value: number, digits = 0) => formatNumber(value, lang, digits);
  const matches = report.county_matches ?? [];
  const problems = report.repaired.length + report.rejected.length + report.outside_service_area.length +
    report.duplicate_codes.length + report.overlaps.length + report.gaps.length + report.blockers.length + matches.length;
  const noneAccepted = report.accepted === 0 && report.features > 0;
  return (
    <section class="upload-report" aria-label={t.reportTitle}>
      <h3>{t.reportTitle}</h3>
      <p class="upload-report__accepted">{t.accepted(n(report.accepted), n(report.features))}</p>
      {problems === 0 && <p class="upload-report__ok">{t.nothingToReport}</p>}
      {noneAccepted && <ReasonSummary report={report} lang={lang} />}
      <Section title={t.countyMatches} count={matches.length} lang={lang} open>
        <Items items={matches} lang={lang} render={(m) => (
          <>
            <FeatureName code={m.code} name={m.name_fa} index={m.index} lang={lang} />
            <span class="upload-report__why upload-report__spelling">
              {t.countyMatch(m.value, lang === 'fa' ? m.county_fa : m.county_en ?? m.county_fa)}
            </span>
          </>
        )} />
      </Section>
      <Section title={t.rejected} count={report.rejected.length} lang={lang} open={noneAccepted || report.rejected.length <= 5}>
        <Items items={report.rejected} lang={lang} render={(r) => (
          <>
            <FeatureName code={r.code} name={r.name_fa} index={r.index} lang={lang} />
            <span class="upload-report__why">{t.reasons[r.reason]}: {rejectionText(r.reason, r.values ?? {}, lang)}</span>
          </>
        )} />
      </Section>
      <Section title={t.repaired} count={report.repaired.length} lang={lang}>
        <Items items={report.repaired} lang={lang} render={(r) => (
          <>
            <FeatureName code={r.code} name={r.name_fa} index={r.index} lang={lang} />
            <bdi class="upload-report__why" dir="ltr">{r.reason}</bdi>
          </>
        )} />
      </Section>
      <Section title={t.outside} count={report.outside_service_area.length} lang={lang}>
        <Items items={report.outside_service_area} lang={lang} render={(r) => (
          <>
            <FeatureName code={r.code} name={r.name_fa} index={r.index} lang={lang} />
            <span class="upload-report__why">{t.outsidePct(n(r.outside_pct, 1))}</span>
          </>
        )} />
      </Section>
      <Section title={t.duplicates} count={report.duplicate_codes.length} lang={lang}>
        <Items items={report.duplicate_codes} lang={lang} render={(d) => (
          <><bdi dir="ltr">{d.code}</bdi> × {n(d.indexes.length)}</>
        )} />
      </Section>
      <Section title={t.overlaps} count={report.overlaps.length} lang={lang}>
        <Items items={report.overlaps} lang={lang} render={(o) => (
          <>
            <bdi dir="ltr">{o.a.code}</bdi> ∩ <bdi dir="ltr">{o.b.code}</bdi>
            <span class="upload-report__why">{t.area(n(Math.round(o.area_m2)))}</span>
          </>
        )} />
      </Section>
      <Section title={t.gaps} count={report.gaps.length} lang={lang}>
        <Items items={report.gaps} lang={lang} render={(g) => (
          <>{g.county_fa}<span class="upload-report__why">{t.area(n(g.area_m2))}</span></>
        )} />
      </Section>
      <Section title={t.blockers} count={report.blockers.length} lang={lang}>
        <Items items={report.blockers} lang={lang} render={(b) => (
          <>
            <FeatureName code={b.code} name={b.name_fa} index={null} lang={lang} />
            <span class="upload-report__why">
              {t.blockerRefs(Object.entries(b.references).map(([table, count]) => `${table} ${n(count)}`).join('، '))}
            </span>
          </>
        )} />
      </Section>
      <Section title={t.defaults} count={report.defaults.length} lang={lang}>
        <Items items={report.defaults} lang={lang} render={(d) => (
          <>{t.targets[d.field as keyof typeof t.targets] ?? d.field}: {typeof d.value === 'number' ? n(d.value) : String(d.value)} × {n(d.count)}</>
        )} />
      </Section>
    </section>
  );
}

export function UploadDiff({ upload, lang }: { upload: Upload; lang: Lang }) {
  const t = uploadStrings[lang];
  const { diff } = upload;
  const n = (value: number, digits = 0) => formatNumber(value, lang, digits);
  const kinds = ['added', 'changed', 'removed', 'unchanged'] as const;
  const value = (v: string | number | boolean | null) => (v === null ? '—' : typeof v === 'number' ? n(v) : String(v));
  return (
    <section class="upload-diff" aria-label={t.diffTitle}>
      <h3>{t.diffTitle}</h3>
      <ul class="upload-diff__counts">
        {kinds.map((kind) => (
          <li key={kind} data-change={kind}>
            <span class="upload-swatch" style={{ background: CHANGE_COLOURS[kind] }} />
            {t.changes[kind]} <strong>{n(diff.counts[kind])}</strong>
          </li>
        ))}
        {diff.counts.blocked > 0 && <li data-change="blocked">{t.blocked} <strong>{n(diff.counts.blocked)}</strong></li>}
      </ul>
      <Section title={t.changes.changed} count={diff.changed.length} lang={lang}>
        <Items items={diff.changed} lang={lang} render={(c) => (
          <>
            <FeatureName code={c.code} name={c.name_fa} index={null} lang={lang} />
            {c.geometry_change_pct !== null && <span class="upload-report__why">{t.shapeChange(n(c.geometry_change_pct, 2))}</span>}
            {c.attributes.map((a) => (
              <span key={a.field} class="upload-report__why">
                {t.attributeChange(t.targets[a.field as keyof typeof t.targets] ?? a.field, value(a.from), value(a.to))}
              </span>
            ))}
          </>
        )} />
      </Section>
      <Section title={t.changes.removed} count={diff.removed.length} lang={lang}>
        <Items items={diff.removed} lang={lang} render={(r) => <FeatureName code={r.code} name={r.name_fa} index={null} lang={lang} />} />
      </Section>
    </section>
  );
}
