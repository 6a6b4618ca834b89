import { Card, Col, Row, Segmented, Statistic } from 'antd';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { SeizureStatisticsFieldsFragment } from '../gql/graphql';
import { formatDate, formatMonth } from '../i18n/datetime';
import { formatCount } from '../i18n/numbers';
import { BarChart, type Bar } from './bar-chart';
import './statistics.css';

/** What every chart of seizures reads: the hub's SeizureStatistics, whole. */
export const SeizureStatisticsFields = graphql(`
  fragment SeizureStatisticsFields on SeizureStatistics {
    totalPieces
    totalCases
    rightsHoldersProtected
    byAgency {
      agency {
        code
        name
      }
      pieces
      cases
    }
    byCategory {
      category
      pieces
      cases
    }
    byChannel {
      channel
      pieces
      cases
    }
    byWeek {
      start
      pieces
      cases
    }
    byMonth {
      start
      pieces
      cases
    }
  }
`);

export type Stats = SeizureStatisticsFieldsFragment;

/** One row of a breakdown: what it is, and its pieces and cases as the hub counted them. */
export interface Row {
  key: string;
  label: string;
  pieces: number;
  cases: number;
}

/** The console's language's way of writing counts, as a stable callback for the charts. */
export function useCount(): (n: number) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  return useCallback((n: number) => formatCount(n, language), [language]);
}

/**
 * A table of a breakdown's numbers: the figures the chart beside it draws, as the hub gave them.
 * Its caption names it, so a screen reader (and a test) finds it by name.
 */
export function NumbersTable({ caption, head, rows, total }: { caption: string; head: string; rows: Row[]; total?: boolean }) {
  const { t } = useTranslation();
  const count = useCount();
  return (
    <table className="hub-numbers">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col" className="num">
            {t('pages.statistics.pieces')}
          </th>
          <th scope="col" className="num">
            {t('pages.statistics.cases')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={3}>{t('pages.statistics.noResults')}</td>
          </tr>
        )}
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td className="num">{count(r.pieces)}</td>
            <td className="num">{count(r.cases)}</td>
          </tr>
        ))}
      </tbody>
      {total && rows.length > 1 && (
        <tfoot>
          <tr>
            <th scope="row">{t('pages.statistics.total')}</th>
            <td className="num">{count(rows.reduce((n, r) => n + r.pieces, 0))}</td>
            <td className="num">{count(rows.reduce((n, r) => n + r.cases, 0))}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

/** A chart of pieces with its numbers beside it, under a heading. */
export function ChartWithNumbers({
  title,
  head,
  rows,
  horizontal,
  color,
  total,
  extra,
  headingLevel = 2,
  stacked = false,
}: {
  title: string;
  head: string;
  rows: Row[];
  horizontal?: boolean;
  color?: string;
  total?: boolean;
  extra?: ReactNode;
  headingLevel?: 2 | 3;
  /** The table under the chart rather than beside it (a page as narrow as paper). */
  stacked?: boolean;
}) {
  const { t } = useTranslation();
  const count = useCount();
  const bars: Bar[] = useMemo(() => rows.map((r) => ({ label: r.label, value: r.pieces })), [rows]);
  const Heading = `h${headingLevel}` as 'h2' | 'h3';
  return (
    <Card className="hub-chart-card" title={<Heading className="hub-card-title">{title}</Heading>} extra={extra}>
      <Row gutter={[24, 16]} align="middle">
        <Col xs={24} lg={stacked ? 24 : 14} className="hub-chart-col">
          {rows.length > 0 ? (
            <BarChart bars={bars} horizontal={horizontal} color={color} format={count} description={t('pages.statistics.chartDescription', { title })} />
          ) : (
            <p>{t('pages.statistics.noResults')}</p>
          )}
        </Col>
        <Col xs={24} lg={stacked ? 24 : 10}>
          <NumbersTable caption={title} head={head} rows={rows} total={total} />
        </Col>
      </Row>
    </Card>
  );
}

/** The breakdowns of a SeizureStatistics, labelled in the console's language. */
export function useBreakdowns(stats: Stats) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  return useMemo(
    () => ({
      agency: stats.byAgency.map((a) => ({ key: a.agency.code, label: a.agency.code, pieces: a.pieces, cases: a.cases })),
      // Largest first: how a coordinator reads them out.
      category: [...stats.byCategory]
        .sort((a, b) => b.pieces - a.pieces)
        .map((c) => ({ key: c.category, label: t(`pages.compose.enums.category.${c.category}`), pieces: c.pieces, cases: c.cases })),
      channel: [...stats.byChannel]
        .sort((a, b) => b.pieces - a.pieces)
        .map((c) => ({ key: c.channel, label: t(`pages.compose.enums.channel.${c.channel}`), pieces: c.pieces, cases: c.cases })),
      week: stats.byWeek.map((w) => ({ key: w.start, label: t('pages.statistics.weekOf', { date: formatDate(w.start, language) }), pieces: w.pieces, cases: w.cases })),
      month: stats.byMonth.map((m) => ({ key: m.start, label: formatMonth(m.start, language), pieces: m.pieces, cases: m.cases })),
    }),
    [stats, t, language],
  );
}

/** Totals of a SeizureStatistics: pieces, cases, rights holders protected. */
export function StatisticsTotals({ stats }: { stats: Stats }) {
  const { t } = useTranslation();
  const count = useCount();
  return (
    <Row gutter={16} className="hub-totals" role="group" aria-label={t('pages.statistics.totals')}>
      <Col xs={24} sm={8}>
        <Statistic title={t('pages.statistics.totalPieces')} value={stats.totalPieces} formatter={(v) => count(Number(v))} />
      </Col>
      <Col xs={24} sm={8}>
        <Statistic title={t('pages.statistics.totalCases')} value={stats.totalCases} formatter={(v) => count(Number(v))} />
      </Col>
      <Col xs={24} sm={8}>
        <Statistic title={t('pages.statistics.rightsHolders')} value={stats.rightsHoldersProtected} formatter={(v) => count(Number(v))} />
      </Col>
    </Row>
  );
}

/**
 * Seizures by agency, category, channel and week or month, each a chart with its numbers in a
 * table beside it. `period` fixes the time breakdown (the printed report); otherwise a switch
 * offers weeks and months.
 */
export function SeizureCharts({ stats, headingLevel = 2, period, stacked }: { stats: Stats; headingLevel?: 2 | 3; period?: 'week' | 'month'; stacked?: boolean }) {
  const { t } = useTranslation();
  const rows = useBreakdowns(stats);
  const [chosen, setChosen] = useState<'week' | 'month'>('month');
  const shown = period ?? chosen;
  return (
    <div className="hub-charts">
      <StatisticsTotals stats={stats} />
      <ChartWithNumbers stacked={stacked} headingLevel={headingLevel} title={t('pages.statistics.byAgency')} head={t('pages.statistics.agency')} rows={rows.agency} total horizontal />
      <ChartWithNumbers stacked={stacked} headingLevel={headingLevel} title={t('pages.statistics.byCategory')} head={t('pages.statistics.category')} rows={rows.category} horizontal color="#531dab" />
      <ChartWithNumbers stacked={stacked} headingLevel={headingLevel} title={t('pages.statistics.byChannel')} head={t('pages.statistics.channel')} rows={rows.channel} horizontal color="#237804" />
      <ChartWithNumbers
        stacked={stacked}
        headingLevel={headingLevel}
        title={shown === 'week' ? t('pages.statistics.byWeek') : t('pages.statistics.byMonth')}
        head={shown === 'week' ? t('pages.statistics.week') : t('pages.statistics.month')}
        rows={rows[shown]}
        total
        color="#ad4e00"
        extra={
          period ? undefined : (
            <Segmented
              aria-label={t('pages.statistics.period')}
              value={chosen}
              onChange={(v) => setChosen(v as 'week' | 'month')}
              options={[
                { value: 'week', label: t('pages.statistics.weeks') },
                { value: 'month', label: t('pages.statistics.months') },
              ]}
            />
          )
        }
      />
    </div>
  );
}
