import type { NeighbourhoodDetail } from '../api';
import { formatNumber, type Lang } from '../i18n';
import { SERVICE_CLASSES } from '../../shared/method-enums';
import { SERVICE_CLASS_COLOURS } from '../map/reference-layers';
import { layerStrings } from './layers-strings';

type Detail = NeighbourhoodDetail['properties'];

/**
 * Access to services per class (server/access/), each row beside the neighbourhood's open
 * problems of the same class, so a planner sees "no school within 1 km" next to the
 * educational problems recorded there.
 */
export function AccessBlock({ lang, detail }: { lang: Lang; detail: Detail }) {
  const t = layerStrings[lang];
  const openByClass = detail.method.problems.by_category;
  const distance = (metres: number | null) => {
    if (metres === null) return t.none;
    return metres < 1000 ? t.metres(formatNumber(Math.round(metres / 10) * 10, lang)) : t.kilometres(formatNumber(metres / 1000, lang, 1));
  };
  return (
    <section class="access" aria-labelledby="access-title">
      <h3 class="access__title" id="access-title">{t.accessTitle}</h3>
      <p class="access__help">{t.accessHelp}</p>
      <table class="access__table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t.inside}</th>
            <th scope="col">{t.within500}</th>
            <th scope="col">{t.within1000}</th>
            <th scope="col">{t.nearest}</th>
            <th scope="col">{t.residentsPer}</th>
            <th scope="col">{t.openProblems}</th>
          </tr>
        </thead>
        <tbody>
          {SERVICE_CLASSES.map((c) => {
            const a = detail.access[c];
            return (
              <tr key={c}>
                <th scope="row">
                  <span class="layer-switcher__dot" style={{ background: SERVICE_CLASS_COLOURS[c] }} />
                  {t.classes[c]}
                </th>
                <td>{formatNumber(a.inside, lang)}</td>
                <td>{formatNumber(a.within_500m, lang)}</td>
                <td>{formatNumber(a.within_1000m, lang)}</td>
                <td>{distance(a.nearest_m)}</td>
                <td>{a.residents_per_facility === null ? t.none : formatNumber(a.residents_per_facility, lang)}</td>
                <td>{formatNumber(openByClass[c], lang)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
