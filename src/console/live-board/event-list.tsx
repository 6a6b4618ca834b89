import { useVirtualizer } from '@tanstack/react-virtual';
import { Empty, Tag, theme } from 'antd';
import { memo, useMemo, useRef, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatTime } from '../i18n/datetime';
import type { BoardEvent } from './board-storage';

/**
 * Tag colours by risk level (solid, white text: each at least 4.5:1, WCAG AA); the level's name
 * is always written in the tag too, never colour alone.
 */
export const RISK_COLOURS: Record<string, string> = { LOW: '#237804', MEDIUM: '#876800', HIGH: '#ad2102', CRITICAL: '#820014' };

const ROW_HEIGHT = 44;
/** Column widths: time, kind, agency, reference, title (the rest), risk, channel, ports. */
const COLUMNS = '128px 118px 56px 158px minmax(140px, 1fr) 84px 150px 124px';

const cell: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', paddingInline: 8 };

/**
 * The board's rows as an ARIA table, virtualized (@tanstack/react-virtual): only the rows in
 * view (and a few around) are in the DOM, so 10,000 or 20,000 events scroll as lightly as 20.
 * aria-rowcount and aria-rowindex tell assistive technology the full size.
 */
export function EventList({ events, height }: { events: BoardEvent[]; height: number | string }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const scroller = useRef<HTMLDivElement>(null);
  const language = i18n.resolvedLanguage ?? 'en';
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => events[i].cursor,
  });

  const row = useMemo<CSSProperties>(() => ({ display: 'grid', gridTemplateColumns: COLUMNS, alignItems: 'center', height: ROW_HEIGHT, borderBottom: `1px solid ${token.colorBorderSecondary}` }), [token.colorBorderSecondary]);
  const headers = ['time', 'kind', 'agency', 'reference', 'title', 'risk', 'channel', 'ports'] as const;

  return (
    <div role="table" aria-label={t('pages.liveBoard.table')} aria-rowcount={events.length + 1} style={{ border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadius, background: token.colorBgContainer }}>
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} style={{ ...row, fontWeight: 600, background: token.colorFillAlter }}>
          {headers.map((h) => (
            <div key={h} role="columnheader" style={cell}>
              {t(`pages.liveBoard.columns.${h}`)}
            </div>
          ))}
        </div>
      </div>
      {events.length === 0 ? (
        <div role="rowgroup">
          <div role="row">
            <div role="cell" style={{ padding: 24 }}>
              <Empty description={t('pages.liveBoard.empty')} />
            </div>
          </div>
        </div>
      ) : (
        <div ref={scroller} role="rowgroup" tabIndex={0} aria-label={t('pages.liveBoard.rows')} data-testid="live-board-scroller" style={{ height, overflowY: 'auto', contain: 'strict' }}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
            {virtualizer.getVirtualItems().map((item) => (
              <EventRow key={item.key} event={events[item.index]} index={item.index} start={item.start} rowStyle={row} linkColour={token.colorPrimary} language={language} />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

/**
 * One row; memoized, so that scrolling renders only the rows that come into view, not the ones
 * already shown (the event, its place and the language decide what it shows).
 */
const EventRow = memo(function EventRow({ event: e, index, start, rowStyle, linkColour, language }: { event: BoardEvent; index: number; start: number; rowStyle: CSSProperties; linkColour: string; language: string }) {
  const { t } = useTranslation();
  const ports = [e.portOfLoading, e.portOfDischarge].filter(Boolean).join(' → ');
  return (
    <div role="row" aria-rowindex={index + 2} style={{ ...rowStyle, position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${start}px)` }}>
      <div role="cell" style={cell}>
        <time dateTime={e.occurredAt}>{formatTime(e.occurredAt, language)}</time>
      </div>
      <div role="cell" style={cell}>
        {t(`pages.liveBoard.kinds.${e.kind}`)}
      </div>
      <div role="cell" style={cell}>
        {e.originAgency}
      </div>
      <div role="cell" style={cell}>
        <Link to={`/alerts/${encodeURIComponent(e.alertId)}`} style={{ color: linkColour }}>
          {e.reference}
        </Link>
      </div>
      <div role="cell" style={cell} title={e.title}>
        {e.title}
      </div>
      <div role="cell" style={cell}>
        <Tag color={RISK_COLOURS[e.riskLevel]} style={{ marginInlineEnd: 0 }}>
          {t(`pages.liveBoard.risk.${e.riskLevel}`)}
        </Tag>
      </div>
      <div role="cell" style={cell}>
        {t(`pages.liveBoard.channels.${e.channel}`)}
      </div>
      <div role="cell" style={cell}>
        {ports}
      </div>
    </div>
  );
});
