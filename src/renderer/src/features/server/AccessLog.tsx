// The access log, newest first and live: who connected from where, what was refused and why; searchable.
import { useState } from 'react';
import type { AccessEntry } from '../../../../shared/ipc';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { formatClock } from '../../ui/format';
import { Loading } from '../../ui/Loading';
import { Section } from '../../ui/Section';
import { useDebounced } from '../../ui/useDebounced';
import { useEvent } from '../../ui/useEvent';
import { useRequest } from '../../ui/useRequest';
import { reasonText } from './accessReasons';

const ACCESS_LOG_LIMIT = 200;
const SEARCH_PAUSE_MS = 250;

/** The same match as the server's: the text in the address, path, code or outcome, ignoring case. */
function matchesSearch(entry: AccessEntry, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === '') return true;
  return [entry.address, entry.path, entry.code, entry.outcome].some((field) => field?.toLowerCase().includes(needle));
}

function Reason({ code }: { code: string | null }) {
  if (!code) return null;
  const text = reasonText(code);
  return (
    <>
      <code>{code}</code>
      {text && <span className="reason-text"> {text}</span>}
    </>
  );
}

export function AccessLog() {
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), SEARCH_PAUSE_MS);
  const log = useRequest('server.accessLog', { search: query, limit: ACCESS_LOG_LIMIT });
  useEvent('server.access', (entry) => {
    if (!matchesSearch(entry, query)) return;
    log.setData((entries) => [entry, ...(entries ?? []).filter((known) => known.id !== entry.id)].slice(0, ACCESS_LOG_LIMIT));
  });
  const entries = log.data ?? [];

  return (
    <Section title="Access log" description="Every connect, publish, play and refusal, with the client's real address.">
      <div className="field search-field">
        <label htmlFor="access-log-search">Search access log</label>
        <input
          id="access-log-search"
          type="search"
          value={search}
          placeholder="Address, stream, reason code or outcome (refused)"
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <ErrorNotice error={log.error} title="Could not read the access log" />
      {log.loading && !log.data ? (
        <Loading what="the access log" />
      ) : entries.length === 0 ? (
        query ? (
          <EmptyState title={`Nothing matches “${query}”`}>Try part of an address, a stream name, a reason code such as TOKEN_EXPIRED, or “refused”.</EmptyState>
        ) : (
          <EmptyState title="No connections yet">Each connect, publish, play and refusal shows up here as it happens.</EmptyState>
        )
      ) : (
        <div className="table-scroll">
          <table className="access-log">
            <caption className="visually-hidden">Access log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Address</th>
                <th scope="col">Protocol</th>
                <th scope="col">Action</th>
                <th scope="col">Stream</th>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} className={`outcome-${entry.outcome}`}>
                  <td>
                    <time dateTime={entry.at}>{formatClock(entry.at)}</time>
                  </td>
                  <td>{entry.address}</td>
                  <td>{entry.protocol}</td>
                  <td>{entry.action}</td>
                  <td>{entry.path ?? '—'}</td>
                  <td>
                    <span className={`badge badge-${entry.outcome}`}>{entry.outcome}</span>
                  </td>
                  <td>
                    <Reason code={entry.code} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
