/**
 * The board's optional sound and desktop notification for HIGH and CRITICAL events: both off
 * until the officer turns them on. The sound is made here (Web Audio), no file is fetched.
 */

export const LOUD_RISK_LEVELS: ReadonlySet<string> = new Set(['HIGH', 'CRITICAL']);

let audio: AudioContext | undefined;

/**
 * Prepares the sound; call it from the click that turns the sound on (browsers let a page
 * start audio only after a gesture).
 */
export function enableSound(): void {
  if (typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  void audio.resume().catch(() => undefined);
}

/** Two short tones, higher for CRITICAL. */
export function beep(critical: boolean): void {
  if (!audio) enableSound();
  if (!audio || audio.state !== 'running') return;
  const now = audio.currentTime;
  const pitches = critical ? [988, 1319] : [784, 988];
  pitches.forEach((pitch, i) => {
    const osc = audio!.createOscillator();
    const gain = audio!.createGain();
    osc.type = 'sine';
    osc.frequency.value = pitch;
    const at = now + i * 0.18;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.15);
    osc.connect(gain).connect(audio!.destination);
    osc.start(at);
    osc.stop(at + 0.16);
  });
}

export type NotificationAccess = 'granted' | 'denied' | 'unsupported';

/** Asks the browser for permission (only when the officer turns notifications on). */
export async function requestNotifications(): Promise<NotificationAccess> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission === 'granted') return 'granted';
  if (Notification.permission === 'denied') return 'denied';
  return (await Notification.requestPermission()) === 'granted' ? 'granted' : 'denied';
}

/** A desktop notification, when permitted; `tag` replaces an earlier one of the board rather than stacking. */
export function notify(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag: 'gba-hub-live-board' });
  } catch {
    // Some browsers allow notifications from a service worker only: the board still shows the event.
  }
}
