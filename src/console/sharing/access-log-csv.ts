/**
 * The access log as a CSV file (RFC 4180): pure functions, no browser API, so that the hub's
 * tests run them as they are (test/unit/access-log-csv.test.ts).
 *
 * Cells come from partners (officers' subjects are whatever their identity provider wrote) and
 * open in spreadsheets: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
 * would be read as a formula there, so it is written with a leading `'` (the usual guard), and
 * every cell is quoted. Values are as the hub gave them: instants in ISO 8601 (UTC), agency
 * codes, field classes and routes by their codes; only the header row is in the console's language.
 */

/** One entry of the log, flattened for the file. */
export interface CsvEntry {
  at: string;
  partner: string;
  subject: string;
  alertReference: string;
  alertTitle: string;
  alertId: string;
  disclosed: readonly string[];
  via: string;
}

/** The file's columns, in order. */
export const CSV_COLUMNS = ['at', 'partner', 'subject', 'alertReference', 'alertTitle', 'alertId', 'disclosed', 'via'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Starts a spreadsheet reads as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula starts defused with a leading `'`, quoted, inner quotes doubled. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** What a cell holds for `column` of `entry`, before csvCell. */
export function csvValue(entry: CsvEntry, column: CsvColumn): string {
  return column === 'disclosed' ? entry.disclosed.join(' ') : entry[column];
}

/**
 * The whole file: a UTF-8 byte-order mark (spreadsheets then read Chinese titles right), the
 * header row from `headers`, one row per entry, CRLF line ends.
 */
export function accessLogCsv(headers: Record<CsvColumn, string>, entries: readonly CsvEntry[]): string {
  const lines = [CSV_COLUMNS.map((c) => csvCell(headers[c])).join(',')];
  for (const e of entries) lines.push(CSV_COLUMNS.map((c) => csvCell(csvValue(e, c))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * Reads a file accessLogCsv wrote back into rows of cells (the header row first), undoing the
 * quoting but not the formula guard: for checking an export against the log.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
