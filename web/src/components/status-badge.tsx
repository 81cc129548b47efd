import { useI18n } from '../i18n/i18n.js';

const KNOWN = {
  PENDING: 'status.pending',
  RUNNING: 'status.running',
  EVALUATING: 'status.running',
  FINISHED: 'status.finished',
  FAILED: 'status.failed',
} as const;

/** PENDING / RUNNING / FINISHED / FAILED as a coloured label; other statuses as they are. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = status.toUpperCase() as keyof typeof KNOWN;
  const known = KNOWN[key];
  const tone = key === 'FINISHED' ? 'success' : key === 'FAILED' ? 'danger' : key === 'RUNNING' || key === 'EVALUATING' ? 'info' : key === 'PENDING' ? 'warning' : 'muted';
  return <span className={`status status-${tone}`}>{known ? t(known) : status}</span>;
}
