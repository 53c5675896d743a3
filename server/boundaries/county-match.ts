import { normaliseForSearch } from '../../shared/persian-text.js';

/**
 * Finding the county a file names, the way Kerman's GIS files write it: by code, Persian or
 * English name, with or without «شهرستان», in any spelling search accepts (exact after
 * normaliseForSearch: a silent match). Failing that, a near spelling — ارزوییه for ارزوئیه
 * (ی for ئ), رودبار for رودبار جنوب (the name without its qualifier), one letter wrong or
 * missing — is a match "by spelling", which the report shows and the uploader confirms.
 * Pure; the names come from the counties table.
 */

export interface CountyKey {
  id: number;
  code: string;
  name_fa: string;
  name_en: string | null;
}

export type CountyMatch = { id: number; by: 'name' } | { id: number; by: 'spelling' };

const PREFIXES = ['شهرستان ', 'county of '];
const SUFFIXES = [' county'];

/** Folds that normaliseForSearch keeps apart but a county's name does not depend on. */
function loose(text: string): string {
  let s = normaliseForSearch(text);
  for (const p of PREFIXES) if (s.startsWith(p)) s = s.slice(p.length);
  for (const p of SUFFIXES) if (s.endsWith(p)) s = s.slice(0, -p.length);
  return s
    .replace(/[ئؤ]/g, (ch) => (ch === 'ئ' ? 'ی' : 'و'))
    .replace(/[آأإ]/g, 'ا')
    .replace(/ء/g, '')
    .replace(/[-_'’.]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Levenshtein distance, stopping early past `limit` (names are short). */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, current[j]!);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** One wrong letter in a short name, two in a long one; none below four letters. */
function allowedDistance(length: number): number {
  if (length < 4) return 0;
  return length < 9 ? 1 : 2;
}

export function countyMatcher(counties: CountyKey[]): (text: string) => CountyMatch | undefined {
  const exact = new Map<string, number>();
  const names: { id: number; key: string; words: string[] }[] = [];
  for (const c of counties) {
    for (const key of [c.code, c.name_fa, c.name_en, `شهرستان ${c.name_fa}`]) {
      if (key) exact.set(normaliseForSearch(key), c.id);
    }
    for (const name of [c.name_fa, c.name_en]) {
      if (name) {
        const key = loose(name);
        names.push({ id: c.id, key, words: key.split(' ') });
      }
    }
  }

  return (text) => {
    const id = exact.get(normaliseForSearch(text));
    if (id !== undefined) return { id, by: 'name' };
    const key = loose(text);
    if (key.length < 3) return undefined;
    const squeezed = key.replace(/ /g, '');
    // Candidates by closeness: 0 same letters (spaces aside), 1 the name without its last
    // words (رودبار → رودبار جنوب), 2+ the edit distance plus one.
    let best = Number.POSITIVE_INFINITY;
    const ids = new Set<number>();
    const consider = (countyId: number, score: number) => {
      if (score < best) {
        best = score;
        ids.clear();
      }
      if (score === best) ids.add(countyId);
    };
    const keyWords = key.split(' ');
    for (const n of names) {
      if (n.key.replace(/ /g, '') === squeezed) consider(n.id, 0);
      else if (keyWords.length < n.words.length && keyWords.every((w, i) => n.words[i] === w)) consider(n.id, 1);
      else {
        const limit = allowedDistance(Math.min(squeezed.length, n.key.length));
        const d = editDistance(squeezed, n.key.replace(/ /g, ''), limit);
        if (d <= limit) consider(n.id, d + 1);
      }
    }
    // Two counties equally close: which one the file means is for the uploader to say.
    return ids.size === 1 ? { id: [...ids][0]!, by: 'spelling' } : undefined;
  };
}
