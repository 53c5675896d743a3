import type { Lang } from '../i18n';

/**
 * MapLibre's own words (control titles, the map's accessible name), in the interface's language.
 * Passed as the map's `locale` when it is built; `relabelControls` follows a language switch,
 * since MapLibre reads these only when a control is added.
 */
export const MAP_LOCALE: Record<Lang, Record<string, string>> = {
  fa: {
    'AttributionControl.ToggleAttribution': 'نمایش منابع نقشه',
    'AttributionControl.MapFeedback': 'بازخورد نقشه',
    'FullscreenControl.Enter': 'تمام‌صفحه',
    'FullscreenControl.Exit': 'خروج از تمام‌صفحه',
    'GeolocateControl.FindMyLocation': 'مکان من',
    'GeolocateControl.LocationNotAvailable': 'مکان در دسترس نیست',
    'LogoControl.Title': 'نشان MapLibre',
    'Map.Title': 'نقشه',
    'Marker.Title': 'نشانگر',
    'NavigationControl.ResetBearing': 'برای چرخاندن بکشید؛ برای رو به شمال کلیک کنید',
    'NavigationControl.ZoomIn': 'بزرگ‌نمایی',
    'NavigationControl.ZoomOut': 'کوچک‌نمایی',
    'Popup.Close': 'بستن',
    'ScaleControl.Meters': 'متر',
    'ScaleControl.Kilometers': 'کیلومتر',
  },
  en: {
    'Map.Title': 'Map',
    'NavigationControl.ZoomIn': 'Zoom in',
    'NavigationControl.ZoomOut': 'Zoom out',
    'NavigationControl.ResetBearing': 'Drag to rotate map, click to reset north',
    'Popup.Close': 'Close popup',
    'ScaleControl.Meters': 'm',
    'ScaleControl.Kilometers': 'km',
  },
};

/** The labels MapLibre set when the map was built, rewritten for another language. */
export function relabelControls(container: HTMLElement, lang: Lang): void {
  const words = { ...MAP_LOCALE.en, ...MAP_LOCALE[lang] };
  const label = (selector: string, key: string) => {
    for (const element of container.querySelectorAll(selector)) {
      element.setAttribute('aria-label', words[key]!);
      if (element instanceof HTMLButtonElement) element.title = words[key]!;
    }
  };
  label('.maplibregl-ctrl-zoom-in', 'NavigationControl.ZoomIn');
  label('.maplibregl-ctrl-zoom-out', 'NavigationControl.ZoomOut');
  label('.maplibregl-canvas', 'Map.Title');
}
