import { ClockCircleOutlined } from '@ant-design/icons';
import { DatePicker, theme, type DatePickerProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { HUB_ZONE_LABEL, fromHubWallClock, hubWallClock } from '../i18n/datetime';

/** What the person types and reads: the same in every language, and unambiguous. */
export const HUB_DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/** A dayjs (in the browser's zone, as antd's picker works) whose fields are the UTC+8 wall clock of `iso`. */
function toPicker(iso: string): Dayjs {
  const w = hubWallClock(iso);
  const local = new Date(2000, w.month - 1, w.day, w.hour, w.minute);
  local.setFullYear(w.year);
  return dayjs(local);
}

/** The instant at which a Greater Bay Area clock shows the picker's fields. */
function fromPicker(d: Dayjs): string {
  return fromHubWallClock({ year: d.year(), month: d.month() + 1, day: d.date(), hour: d.hour(), minute: d.minute() }).toISOString();
}

/**
 * A date and time picked in the Greater Bay Area's time (UTC+8, shown beside the value),
 * whatever the browser's own zone: the value is an ISO instant, as the hub's DateTime takes it
 * and as <DateTime> (components/time.tsx) shows it. For a Form.Item (value, onChange, id and the
 * aria attributes pass through). Enter confirms what was typed, and never submits the form.
 */
export function HubDateTimePicker({
  value,
  onChange,
  ...rest
}: Omit<DatePickerProps<Dayjs, false>, 'value' | 'onChange' | 'showTime' | 'format' | 'picker' | 'multiple'> & { value?: string | null; onChange?: (iso: string | null) => void }) {
  const { token } = theme.useToken();
  return (
    <DatePicker
      {...rest}
      showTime={{ format: 'HH:mm' }}
      format={HUB_DATE_TIME_FORMAT}
      value={value ? toPicker(value) : null}
      onChange={(d) => onChange?.(d && d.isValid() ? fromPicker(d) : null)}
      onKeyDown={(e, preventDefault) => {
        // Enter confirms the typed date and time; it never submits the form around the picker.
        if (e.key === 'Enter') e.preventDefault();
        rest.onKeyDown?.(e, preventDefault);
      }}
      suffixIcon={
        // The picker's own icon colour is too faint for text: the zone is read, so it gets the secondary text colour.
        <span style={{ color: token.colorTextSecondary }}>
          <ClockCircleOutlined /> {HUB_ZONE_LABEL}
        </span>
      }
    />
  );
}
