import { useState } from 'preact/hooks';
import { NETWORK_KINDS, type NetworkKind } from '../../shared/method-enums';
import { formatNumber } from '../i18n';
import { formatDay } from '../i18n/method-strings';
import { createNetwork, updateNetwork, type Network } from '../method-api';
import { MethodBlock } from './problems-block';
import { attempt, type SectionContext } from './problems-context';
import { DateField, Field, FormActions } from './problems-fields';
import { Refusal } from './problems-refusal';
import { RemoveButton } from './problems-remove';
import { useDraft } from './use-draft';
import { useFormSubmit } from './use-form-submit';

/** Stage 3: the neighbourhood's networks of hope. */
export function NetworkList(props: SectionContext & { networks: Network[] }) {
  const { t, lang, networks, canWrite } = props;
  return (
    <MethodBlock
      lang={lang} titleId="method-networks-title" title={t.networks} count={networks.filter((n) => n.active).length}
      emptyText={networks.length === 0 ? t.noNetworks : null} compact
      canWrite={canWrite} addName="add-network" addLabel={t.addNetwork}
      draftKey={networkDraftKey(props.neighbourhoodId)}
      form={(onDone) => <NetworkForm {...props} onDone={onDone} />}
    >
      {networks.map((n) => <NetworkItem key={n.id} {...props} network={n} />)}
    </MethodBlock>
  );
}

function NetworkItem(props: SectionContext & { network: Network }) {
  const { t, lang, network: n, canWrite } = props;
  const [error, setError] = useState<unknown>(null);
  const toggle = async () => setError(await attempt(props, () => updateNetwork(n.id, { active: !n.active })));
  return (
    <li class={`method-item method-network${n.active ? '' : ' is-inactive'}`} data-network-id={n.id}>
      <p class="method-item__head method-item__head--static">
        <span class="method-kind">{t.kinds[n.kind]}</span>
        <span class="method-item__title" dir="auto">{n.name}</span>
      </p>
      <div class="method-item__meta">
        {t.members}: {formatNumber(n.members, lang)}
        {n.since && <> · {t.since} <time dateTime={n.since}>{formatDay(n.since, lang)}</time></>}
        {' · '}{n.active ? t.active : t.inactive}
        {canWrite && (
          <button type="button" class="method-link method-link--inline" onClick={toggle}>
            {n.active ? t.deactivate : t.reactivate}
          </button>
        )}
        {canWrite && <RemoveButton {...props} kind="networks" id={n.id} />}
      </div>
      <Refusal error={error} lang={lang} />
    </li>
  );
}

export const networkDraftKey = (neighbourhoodId: number) => `network-create.${neighbourhoodId}`;

function NetworkForm(props: SectionContext & { onDone(): void }) {
  const { t, lang, neighbourhoodId, onDone } = props;
  const draft = useDraft(networkDraftKey(neighbourhoodId), { kind: 'teenagers' as NetworkKind, name: '', members: '', since: '' });
  const v = draft.values;
  const form = useFormSubmit({
    write: () => createNetwork({
      neighbourhood_id: neighbourhoodId, kind: v.kind, name: v.name, members: Number(v.members || 0), ...(v.since ? { since: v.since } : {}),
    }),
    draft,
    reload: props.reload,
    onDone,
  });

  return (
    <form class="method-form" name="network-create" onSubmit={form.submit}>
      <p class="method-form__title">{t.addNetwork}</p>
      <Field label={t.networkKind}>
        <select name="kind" value={v.kind} onChange={(e) => draft.set({ kind: e.currentTarget.value as NetworkKind })}>
          {NETWORK_KINDS.map((k) => <option key={k} value={k}>{t.kinds[k]}</option>)}
        </select>
      </Field>
      <Field label={t.networkName}>
        <input name="name" required maxLength={200} value={v.name} onInput={(e) => draft.set({ name: e.currentTarget.value })} />
      </Field>
      <div class="method-form__pair">
        <Field label={t.members}>
          <input type="number" name="members" min={0} step={1} dir="ltr" value={v.members} onInput={(e) => draft.set({ members: e.currentTarget.value })} />
        </Field>
        <DateField label={t.since} name="since" value={v.since} lang={lang} onChange={(since) => draft.set({ since })} />
      </div>
      <FormActions form={form} t={t} lang={lang} onCancel={form.cancel} />
    </form>
  );
}
