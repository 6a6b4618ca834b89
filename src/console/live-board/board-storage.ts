/**
 * What the live board keeps in the browser.
 *
 * - Per tab (sessionStorage, gone when the tab closes, like the session): the cursor of the last
 *   event received and the newest rows, in one entry per agency and subject, written together so
 *   a reload resumes with `since` exactly where the rows it restores end. The cursor is the
 *   hub's opaque string; nothing here reads it.
 * - Per browser (localStorage): the sound and notification toggles only, never an alert's content.
 */

/** One row of the board: an AlertEvent as the hub sent it, flattened to what the board shows. */
export interface BoardEvent {
  cursor: string;
  kind: string;
  occurredAt: string;
  alertId: string;
  reference: string;
  title: string;
  riskLevel: string;
  channel: string;
  originAgency: string;
  portOfLoading: string | null;
  portOfDischarge: string | null;
}

/** Rows restored after a reload (the rest stay with the hub: the Alerts page lists them). */
export const RESTORED_ROWS = 200;

export interface SavedBoard {
  cursor: string;
  /** Newest first, at most RESTORED_ROWS. */
  events: BoardEvent[];
}

const PREFIX = 'gba-hub.live-board';

function boardKey(agency: string, subject: string): string {
  return `${PREFIX}.${agency}.${subject}`;
}

export function loadBoard(agency: string, subject: string): SavedBoard | undefined {
  try {
    const raw = sessionStorage.getItem(boardKey(agency, subject));
    if (!raw) return undefined;
    const saved = JSON.parse(raw) as SavedBoard;
    if (typeof saved.cursor === 'string' && Array.isArray(saved.events)) return saved;
  } catch {
    // A damaged entry is dropped: the board starts fresh.
  }
  clearBoard(agency, subject);
  return undefined;
}

export function saveBoard(agency: string, subject: string, board: SavedBoard): void {
  const value = JSON.stringify({ cursor: board.cursor, events: board.events.slice(0, RESTORED_ROWS) });
  try {
    sessionStorage.setItem(boardKey(agency, subject), value);
  } catch {
    // Storage full: keep the cursor at least, so a reload still resumes without a gap.
    try {
      sessionStorage.setItem(boardKey(agency, subject), JSON.stringify({ cursor: board.cursor, events: [] }));
    } catch {
      // Nothing more to do: a reload starts fresh.
    }
  }
}

export function clearBoard(agency: string, subject: string): void {
  sessionStorage.removeItem(boardKey(agency, subject));
}

export interface BoardPreferences {
  sound: boolean;
  notify: boolean;
}

const PREFERENCES_KEY = `${PREFIX}.preferences`;

/** Both off unless the officer turned them on. */
export function loadPreferences(): BoardPreferences {
  try {
    const p = JSON.parse(localStorage.getItem(PREFERENCES_KEY) ?? '{}') as Partial<BoardPreferences>;
    return { sound: p.sound === true, notify: p.notify === true };
  } catch {
    return { sound: false, notify: false };
  }
}

export function savePreferences(p: BoardPreferences): void {
  localStorage.setItem(PREFERENCES_KEY, JSON.stringify({ sound: p.sound, notify: p.notify }));
}
