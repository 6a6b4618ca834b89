import { Route, Routes } from 'react-router';
import { AlertDetail } from './alert-detail';
import { AlertList } from './alert-list';

/** Alerts for analysts: the searchable list at /alerts, one alert at /alerts/:id. */
export function AlertsPage() {
  return (
    <Routes>
      <Route index element={<AlertList />} />
      <Route path=":id" element={<AlertDetail />} />
    </Routes>
  );
}
