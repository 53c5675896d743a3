import type { Lang } from '../i18n';
import type { MethodStrings } from '../i18n/method-strings';
import type { Agency } from '../method-api';

/** What every part of the neighbourhood's method section needs. */
export interface SectionContext {
  lang: Lang;
  t: MethodStrings;
  neighbourhoodId: number;
  canWrite: boolean;
  agencies: Agency[];
  agencyName(id: number | null): string | null;
  /** Reloads the neighbourhood's method after a change (and refreshes the map). */
  reload(): Promise<void>;
}

/** Runs a write; returns the refusal (to show) or null. The section reloads on success. */
export async function attempt(ctx: SectionContext, write: () => Promise<unknown>): Promise<unknown> {
  try {
    await write();
  } catch (error) {
    return error;
  }
  await ctx.reload().catch((error: unknown) => console.error(error));
  return null;
}
