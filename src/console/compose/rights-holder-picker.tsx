import { useApolloClient } from '@apollo/client/react';
import { Flex, Select, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RIGHTS_HOLDER_LIMITS } from '../../common/rights-holder-limits';
import { graphql } from '../gql';
import type { ComposeRightsHoldersQuery } from '../gql/graphql';
import type { Picked } from './compose-rules';

const ComposeRightsHolders = graphql(`
  query ComposeRightsHolders($search: String, $first: Int) {
    rightsHolders(search: $search, first: $first) {
      id
      name
      recordations {
        type
        recordationNumber
        mark
      }
    }
  }
`);

type Holder = ComposeRightsHoldersQuery['rightsHolders'][number];

/** How many matches one search shows. */
const SHOWN = 20;
/** Quiet time after the last keystroke before the hub is asked. */
const DEBOUNCE_MS = 250;

/**
 * The rights holders an alert names, picked from the hub's register by name or recordation
 * number prefix (`rightsHolders(search:)`, asked as the person types). Each match shows its
 * recordations (type, number, mark) to tell namesakes apart; the chosen ones keep their names
 * (labelInValue), so the alert's current rights holders show without a search.
 */
export function RightsHolderPicker({
  id,
  value,
  onChange,
  disabled,
  ...aria
}: {
  id?: string;
  value?: Picked[];
  onChange?: (v: Picked[]) => void;
  disabled?: boolean;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean | 'true' | 'false';
}) {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [search, setSearch] = useState<string | null>(null);
  const [found, setFound] = useState<Holder[]>([]);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState<string | undefined>();
  const asked = useRef(0);

  useEffect(() => {
    if (search === null) return undefined;
    const n = ++asked.current;
    setLoading(true);
    const timer = setTimeout(() => {
      client
        .query({ query: ComposeRightsHolders, variables: { search: search.trim().slice(0, RIGHTS_HOLDER_LIMITS.search) || null, first: SHOWN }, fetchPolicy: 'network-only' })
        .then(
          (r) => {
            if (n !== asked.current) return;
            setFound(r.data?.rightsHolders ?? []);
            setFailed(undefined);
          },
          (e: unknown) => {
            if (n !== asked.current) return;
            setFound([]);
            setFailed(e instanceof Error ? e.message : String(e));
          },
        )
        .finally(() => n === asked.current && setLoading(false));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [client, search]);

  const byId = new Map(found.map((h) => [h.id, h]));
  return (
    <Select<Picked[]>
      id={id}
      {...aria}
      mode="multiple"
      labelInValue
      disabled={disabled}
      value={value ?? []}
      onChange={(v) => onChange?.((v ?? []).map((p) => ({ value: p.value, label: String(p.label) })))}
      placeholder={t('pages.compose.rightsHolders.placeholder')}
      // The hub searches; every match it returns is shown.
      showSearch={{ filterOption: false, onSearch: (s) => setSearch(s) }}
      onOpenChange={(open) => open && search === null && setSearch('')}
      options={found.map((h) => ({ value: h.id, label: h.name }))}
      optionRender={(o) => {
        const h = byId.get(String(o.value));
        return (
          <Flex vertical>
            <span>{h?.name ?? o.label}</span>
            {h && h.recordations.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {h.recordations.map((r) => `${t(`pages.compose.enums.infringement.${r.type}`)} ${r.recordationNumber} (${r.mark})`).join(' · ')}
              </Typography.Text>
            )}
          </Flex>
        );
      }}
      notFoundContent={
        loading ? <Spin size="small" /> : failed ? t('errors.generic', { message: failed }) : t('pages.compose.rightsHolders.none')
      }
    />
  );
}
