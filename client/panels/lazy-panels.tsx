import type { ComponentProps } from 'preact';
import { useState } from 'preact/hooks';
import { lazyComponent } from '../lazy-component';
import { commanderStrings } from './commander-strings';
import { parseCommanderState } from './commander-url';
import { uploadStrings } from './upload-strings';

// Each role's tools are chunks of their own, fetched when they are first needed: until then the
// map screen shows only the button that opens them (the same button the panel shows when closed),
// so an admin or a planner opening the map downloads neither the commander's view nor the upload
// wizard, and the admin panel's code waits until an admin opens it.

const CommanderView = lazyComponent(() => import('./commander-view').then((module) => module.CommanderView), {
  pending: ({ lang }) => <CommanderButton lang={lang} busy />,
});
const UploadWizard = lazyComponent(() => import('./upload-wizard').then((module) => module.UploadWizard), {
  pending: ({ lang }) => <UploadButton lang={lang} busy />,
});
const ThematicView = lazyComponent(() => import('./thematic-view').then((module) => module.ThematicView), {
  pending: ({ lang }) => <ThematicButton lang={lang} busy />,
});
// A neighbourhood's problems, interventions and networks, with their forms: only once a
// neighbourhood is opened, which the opening map never needs.
export const LazyProblemsSection = lazyComponent(() => import('./problems-section').then((module) => module.ProblemsSection));
export const AdminPanel = lazyComponent(() => import('../admin/admin-panel').then((module) => module.AdminPanel));
export const TokensPanel = lazyComponent(() => import('../admin/tokens-panel').then((module) => module.TokensPanel));
/** The printable brief, shown instead of the map screen (see root.tsx). */
export const BriefScreen = lazyComponent(() => import('./commander-view').then((module) => module.BriefView));

type CommanderProps = Omit<ComponentProps<typeof CommanderView>, 'startOpen'>;

/** The commander's view: open at once for commanders (or when the link says so), else a button. */
export function LazyCommanderView(props: CommanderProps) {
  const [asked, setAsked] = useState(false);
  const [openAtStart] = useState(() => props.role === 'commander' || parseCommanderState(window.location.search).open === true);
  if (openAtStart || asked) return <CommanderView {...props} startOpen={asked} />;
  return <CommanderButton lang={props.lang} onClick={() => setAsked(true)} />;
}

type UploadProps = Omit<ComponentProps<typeof UploadWizard>, 'startOpen'>;

/** The boundary upload wizard (GIS staff and admins): a button until it is opened. */
export function LazyUploadWizard(props: UploadProps) {
  const [asked, setAsked] = useState(false);
  if (asked) return <UploadWizard {...props} startOpen />;
  return <UploadButton lang={props.lang} onClick={() => setAsked(true)} />;
}

type ThematicProps = Omit<ComponentProps<typeof ThematicView>, 'startOpen'>;

/** The thematic map: a button until it is opened, or at once when the link carries one (`th=`). */
export function LazyThematicView(props: ThematicProps) {
  const [asked, setAsked] = useState(false);
  const [inLink] = useState(() => new URLSearchParams(window.location.search).has('th'));
  if (inLink || asked) return <ThematicView {...props} startOpen={asked} />;
  return <ThematicButton lang={props.lang} onClick={() => setAsked(true)} />;
}

interface ButtonProps {
  lang: keyof typeof commanderStrings;
  onClick?: () => void;
  /** The panel's code is on its way: the button stays, inert, so nothing jumps. */
  busy?: boolean;
}

function CommanderButton({ lang, onClick, busy }: ButtonProps) {
  return (
    <button type="button" class="commander-open" onClick={onClick} disabled={busy} aria-busy={busy}>
      {commanderStrings[lang].open}
    </button>
  );
}

function ThematicButton({ lang, onClick, busy }: ButtonProps) {
  return (
    <button type="button" class="pill-button pill-button--map thematic-open" onClick={onClick} disabled={busy} aria-busy={busy}>
      {lang === 'fa' ? 'نقشهٔ موضوعی' : 'Thematic map'}
    </button>
  );
}

function UploadButton({ lang, onClick, busy }: ButtonProps) {
  return (
    <button type="button" class="pill-button pill-button--map upload-open" onClick={onClick} disabled={busy} aria-busy={busy}>
      {uploadStrings[lang].open}
    </button>
  );
}
