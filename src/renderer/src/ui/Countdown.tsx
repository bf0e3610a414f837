// Time left until a deadline, ticking every second; says "Expired" once it has passed.
import { formatDateTime, formatDuration } from './format';
import { useNow } from './useNow';

export function Countdown({ until, prefix = 'Expires in', expiredText = 'Expired' }: { until: number; prefix?: string; expiredText?: string }) {
  const now = useNow(1000);
  const left = Math.ceil((until - now) / 1000);
  return (
    <time className={left > 0 ? 'countdown' : 'countdown countdown-expired'} dateTime={new Date(until).toISOString()} title={formatDateTime(until)}>
      {left > 0 ? `${prefix} ${formatDuration(left)}` : expiredText}
    </time>
  );
}
