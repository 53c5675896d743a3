/**
 * English names for the counties that OpenStreetMap names only in Persian (kerman-counties.geojson
 * has `name_en: null` for them, and is kept unchanged from its source). Written by this project
 * in the spelling English-language references use for these counties; keyed by the county's code
 * (its OSM relation), so a county that later gets a name of its own in the data keeps that one.
 */
export const COUNTY_NAMES_EN: Readonly<Record<string, string>> = {
  'relation/19515969': 'Jazmurian', // شهرستان جازموریان
  'relation/6556347': 'Gonbaki', // شهرستان گنبکی
};
