/**
 * Deprivation classes 1 (least) … 5 (most deprived), ColorBrewer's sequential YlOrRd with five
 * classes: ordered by lightness so it reads without a legend and survives greyscale printing and the
 * common colour-vision deficiencies. Dark label text with a white halo stays legible on all five.
 */
export const DEPRIVATION_LEVELS = [1, 2, 3, 4, 5] as const;
export type DeprivationLevel = (typeof DEPRIVATION_LEVELS)[number];

export const DEPRIVATION_COLOURS: Record<DeprivationLevel, string> = {
  1: '#ffffb2',
  2: '#fecc5c',
  3: '#fd8d3c',
  4: '#f03b20',
  5: '#bd0026',
};

export const NO_DATA_COLOUR = '#cfcfcf';

export function deprivationColour(level: number): string {
  return DEPRIVATION_COLOURS[level as DeprivationLevel] ?? NO_DATA_COLOUR;
}

export const COUNTY_LINE_COLOUR = '#5b4b7a';
export const SELECTED_LINE_COLOUR = '#101828';
