import { useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Flex, Input, Select, Space, Switch, Typography } from 'antd';
import { memo, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConsoleViewerQuery } from '../app/viewer';
import type { AlertFilter, RiskLevel, TransportChannel } from '../gql/graphql';
import { beep, enableSound, LOUD_RISK_LEVELS, notify, requestNotifications } from './alerting';
import { loadPreferences, savePreferences, type BoardEvent, type BoardPreferences } from './board-storage';
import { useSession } from '../sign-in/session-context';
import { EventList } from './event-list';
import { MAX_KEPT_EVENTS, useAlertEvents, type ConnectionStatus } from './use-alert-events';

const RISK_ORDER: RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const CHANNELS: TransportChannel[] = ['SEA_CONTAINER', 'AIR_CARGO', 'LAND_BORDER', 'POSTAL_EXPRESS', 'CROSS_BORDER_ECOMMERCE', 'PASSENGER'];
/** UN/LOCODE: country code and three letters or digits 2–9. */
const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;
const PORT_DEBOUNCE_MS = 400;

const STATUS_BADGE: Record<ConnectionStatus, 'processing' | 'success' | 'warning' | 'error'> = {
  connecting: 'processing',
  live: 'success',
  reconnecting: 'warning',
  offline: 'error',
};

interface Filters {
  channels: TransportChannel[];
  port: string;
  risk: RiskLevel | undefined;
}

function toAlertFilter(f: Filters): AlertFilter {
  const filter: AlertFilter = {};
  if (f.channels.length) filter.channel = f.channels;
  if (f.port) filter.port = f.port;
  if (f.risk) filter.riskLevelAtLeast = f.risk;
  return filter;
}

/** The same filter on the rows already on the board (the hub applies it to what comes next). */
function shows(e: BoardEvent, f: Filters): boolean {
  if (f.channels.length && !f.channels.includes(e.channel as TransportChannel)) return false;
  if (f.port && e.portOfLoading !== f.port && e.portOfDischarge !== f.port) return false;
  if (f.risk && RISK_ORDER.indexOf(e.riskLevel as RiskLevel) < RISK_ORDER.indexOf(f.risk)) return false;
  return true;
}

/**
 * The live board for duty officers: alerts arriving through `alertEvents`, newest first, with
 * filters, a connection indicator, resumption after a reconnect or a reload, and an optional
 * sound and desktop notification for HIGH and CRITICAL.
 */
export function LiveBoardPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const token = session?.token;
  const claimed = useMemo(() => (token && session ? claimedViewer(session.agency, token) : undefined), [token, session?.agency]);
  // The shell's own query: one request for both, then the cache.
  const { data } = useQuery(ConsoleViewerQuery);
  // The hub's word once it is in; the board does not wait for it (a reload shows its rows and
  // resumes straight away), and starts again under the hub's key in the unlikely case they differ.
  const viewer = data?.viewer ? { agency: data.viewer.agency.code, subject: data.viewer.subject } : claimed;
  return (
    <>
      <Typography.Title level={1}>{t('pages.liveBoard.title')}</Typography.Title>
      {viewer && <Board key={`${viewer.agency}\n${viewer.subject}`} agency={viewer.agency} subject={viewer.subject} />}
    </>
  );
}

/**
 * The agency and subject the session's token names (its `sub`, read, not verified: the hub
 * verifies it on every request), which key what the board keeps in this tab. Undefined when the
 * token is not a readable JWT: then the board waits for the hub's `viewer`.
 */
function claimedViewer(agency: string, token: string): { agency: string; subject: string } | undefined {
  try {
    const bytes = Uint8Array.from(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const sub = (JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown }).sub;
    return typeof sub === 'string' && sub ? { agency, subject: sub } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Memoized: the page renders again when the hub's `viewer` comes in, usually naming the same
 * agency and subject, which then leaves the board (its filters, its rows) alone.
 */
const Board = memo(function Board({ agency, subject }: { agency: string; subject: string }) {
  const { t, i18n } = useTranslation();
  const ids = { channel: useId(), port: useId(), risk: useId(), sound: useId(), notify: useId() };
  const [filters, setFilters] = useState<Filters>({ channels: [], port: '', risk: undefined });
  const [portText, setPortText] = useState('');
  const [prefs, setPrefs] = useState<BoardPreferences>(() => loadPreferences());
  const [notifyRefused, setNotifyRefused] = useState(false);

  const portValid = portText === '' || LOCODE.test(portText);
  useEffect(() => {
    if (!portValid) return;
    const timer = setTimeout(() => setFilters((f) => (f.port === portText ? f : { ...f, port: portText })), PORT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [portText, portValid]);

  const alertFilter = useMemo(() => toAlertFilter(filters), [filters]);
  // Once per language, not at each render (a batch of arrivals renders the board again).
  const language = i18n.resolvedLanguage ?? 'en';
  const keptMax = useMemo(() => new Intl.NumberFormat(language).format(MAX_KEPT_EVENTS), [language]);

  const onArrived = useCallback(
    (batch: BoardEvent[]) => {
      if (!prefs.sound && !prefs.notify) return;
      const loud = batch.filter((e) => LOUD_RISK_LEVELS.has(e.riskLevel) && shows(e, filters));
      if (loud.length === 0) return;
      const newest = loud[loud.length - 1];
      if (prefs.sound) beep(loud.some((e) => e.riskLevel === 'CRITICAL'));
      if (prefs.notify) {
        notify(
          t('pages.liveBoard.notification.title', { count: loud.length }),
          `${t(`pages.liveBoard.risk.${newest.riskLevel}`)} · ${newest.originAgency} · ${newest.reference} · ${newest.title}`,
        );
      }
    },
    [prefs, filters, t],
  );

  const { events, status, resumeRefused, reconnect } = useAlertEvents(agency, subject, alertFilter, onArrived);
  const shown = useMemo(() => (filters.channels.length || filters.port || filters.risk ? events.filter((e) => shows(e, filters)) : events), [events, filters]);

  const updatePrefs = (p: BoardPreferences) => {
    setPrefs(p);
    savePreferences(p);
  };
  const toggleSound = (on: boolean) => {
    if (on) enableSound();
    updatePrefs({ ...prefs, sound: on });
  };
  const toggleNotify = async (on: boolean) => {
    if (!on) return updatePrefs({ ...prefs, notify: false });
    const access = await requestNotifications();
    setNotifyRefused(access !== 'granted');
    updatePrefs({ ...prefs, notify: access === 'granted' });
  };

  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={16} align="center" justify="space-between">
        <Space size="middle" wrap>
          <span role="status" aria-live="polite" aria-atomic="true">
            <Badge status={STATUS_BADGE[status]} text={t(`pages.liveBoard.status.${status}`)} />
          </span>
          {status === 'offline' && <Button onClick={reconnect}>{t('pages.liveBoard.reconnect')}</Button>}
          <Typography.Text type="secondary">{t('pages.liveBoard.count', { count: shown.length, max: keptMax })}</Typography.Text>
        </Space>
        <Space size="middle" wrap>
          <Space size="small">
            <Switch id={ids.sound} checked={prefs.sound} onChange={toggleSound} />
            <label htmlFor={ids.sound}>{t('pages.liveBoard.sound')}</label>
          </Space>
          <Space size="small">
            <Switch id={ids.notify} checked={prefs.notify} onChange={(on) => void toggleNotify(on)} />
            <label htmlFor={ids.notify}>{t('pages.liveBoard.notify')}</label>
          </Space>
        </Space>
      </Flex>

      <Flex wrap gap={16} align="flex-start" role="search" aria-label={t('pages.liveBoard.filters')}>
        <Flex vertical gap={4}>
          <label htmlFor={ids.channel}>{t('pages.liveBoard.channel')}</label>
          <Select
            id={ids.channel}
            mode="multiple"
            allowClear
            style={{ minWidth: 260 }}
            placeholder={t('pages.liveBoard.anyChannel')}
            value={filters.channels}
            onChange={(channels: TransportChannel[]) => setFilters((f) => ({ ...f, channels }))}
            options={CHANNELS.map((c) => ({ value: c, label: t(`pages.liveBoard.channels.${c}`) }))}
          />
        </Flex>
        <Flex vertical gap={4}>
          <label htmlFor={ids.port}>{t('pages.liveBoard.port')}</label>
          <Input
            id={ids.port}
            allowClear
            style={{ width: 200 }}
            placeholder="CNSZX"
            value={portText}
            maxLength={5}
            status={portValid ? undefined : 'error'}
            aria-invalid={!portValid}
            aria-describedby={portValid ? undefined : `${ids.port}-error`}
            onChange={(e) => setPortText(e.target.value.trim().toUpperCase())}
          />
          {!portValid && (
            <Typography.Text type="danger" id={`${ids.port}-error`}>
              {t('pages.liveBoard.portInvalid')}
            </Typography.Text>
          )}
        </Flex>
        <Flex vertical gap={4}>
          <label htmlFor={ids.risk}>{t('pages.liveBoard.riskAtLeast')}</label>
          <Select
            id={ids.risk}
            allowClear
            style={{ width: 180 }}
            placeholder={t('pages.liveBoard.anyRisk')}
            value={filters.risk}
            onChange={(risk: RiskLevel | undefined) => setFilters((f) => ({ ...f, risk }))}
            options={RISK_ORDER.map((r) => ({ value: r, label: t(`pages.liveBoard.risk.${r}`) }))}
          />
        </Flex>
      </Flex>

      {resumeRefused && <Alert type="warning" showIcon title={t('pages.liveBoard.resumeRefused')} />}
      {notifyRefused && <Alert type="info" showIcon closable title={t('pages.liveBoard.notifyRefused')} />}

      <EventList events={shown} height="max(320px, calc(100vh - 360px))" />
    </Flex>
  );
});
