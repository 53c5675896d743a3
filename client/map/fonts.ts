import type { FontFacesSpecification } from 'maplibre-gl';
import arabic500 from '@fontsource/vazirmatn/files/vazirmatn-arabic-500-normal.woff2?url';
import latin500 from '@fontsource/vazirmatn/files/vazirmatn-latin-500-normal.woff2?url';
import arabic700 from '@fontsource/vazirmatn/files/vazirmatn-arabic-700-normal.woff2?url';
import latin700 from '@fontsource/vazirmatn/files/vazirmatn-latin-700-normal.woff2?url';

/**
 * Map labels are drawn from the app's own copy of Vazirmatn, declared in the style's `font-faces`
 * (MapLibre 6.9+): MapLibre loads the file through the CSS Font Loading API, shapes Arabic script
 * and orders right-to-left runs itself, so no glyph server and no RTL plugin are needed, and nothing
 * is fetched from another origin. Files are fetched lazily, only when a codepoint they cover is drawn.
 *
 * The names below are what layers put in `text-font`; they only have to match this table.
 */
export const FONT_MEDIUM = 'Vazirmatn Medium';
export const FONT_BOLD = 'Vazirmatn Bold';

// Arabic and Persian letters, the ZWNJ/ZWJ/LRM controls that Persian names carry, and the
// presentation forms; then the basic Latin block for English names and Latin digits. The Arabic
// files carry the space and the no-break space too, so a Persian name with a space in it does not
// fetch a Latin file (as in client/fonts.css).
const ARABIC_RANGES = ['U+0020', 'U+00A0', 'U+0600-06FF', 'U+200C-200E', 'U+FB50-FDFF', 'U+FE70-FEFF'];
const LATIN_RANGES = ['U+0000-001F', 'U+0021-009F', 'U+00A1-00FF', 'U+0131', 'U+0152-0153', 'U+2000-206F', 'U+20AC', 'U+2122', 'U+2212'];

function absolute(url: string): string {
  return new URL(url, document.baseURI).href;
}

export function fontFaces(): FontFacesSpecification {
  return {
    [FONT_MEDIUM]: [
      { url: absolute(arabic500), 'unicode-range': ARABIC_RANGES },
      { url: absolute(latin500), 'unicode-range': LATIN_RANGES },
    ],
    [FONT_BOLD]: [
      { url: absolute(arabic700), 'unicode-range': ARABIC_RANGES },
      { url: absolute(latin700), 'unicode-range': LATIN_RANGES },
    ],
  };
}
