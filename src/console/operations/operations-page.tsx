import { Route, Routes } from 'react-router';
import { OperationDetailPage } from './operation-detail';
import { OperationList } from './operation-list';
import { OperationReport } from './operation-report';
import { PlanOperation } from './plan-operation';

/**
 * Joint operations (issue 21): the list and search at /operations, planning at
 * /operations/plan (COORDINATORs), one operation at /operations/:id and its printable report at
 * /operations/:id/report. The hub shows an agency only the operations it takes part in.
 */
export function OperationsPage() {
  return (
    <Routes>
      <Route index element={<OperationList />} />
      <Route path="plan" element={<PlanOperation />} />
      <Route path=":id" element={<OperationDetailPage />} />
      <Route path=":id/report" element={<OperationReport />} />
    </Routes>
  );
}
