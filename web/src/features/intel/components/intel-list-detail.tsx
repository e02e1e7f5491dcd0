// One indicator list: upload a feed file (engineers), add one indicator (engineers), and the
// indicators page by page with a value search, their confidence, source and expiry.
import { useState } from 'react';
import type { IndicatorList } from '@siem/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { Empty, ErrorState, FormError, Loading } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useDeleteIndicator } from '../api/indicator-changes.ts';
import { useIndicators } from '../api/indicators.ts';
import { IntelUploadForm } from './intel-upload-form.tsx';

export function IntelListDetail({ list, canEdit, onClose }: { list: IndicatorList; canEdit: boolean; onClose: () => void }) {
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const { data, error, isPending, refetch } = useIndicators(list.id, { page, q });
  const remove = useDeleteIndicator();
  const now = Date.now();

  return (
    <section className="card panel" aria-labelledby="intel-detail-title" data-testid="intel-detail">
      <header className="panel-head">
        <h2 id="intel-detail-title">{list.name}</h2>
        <button type="button" className="btn btn-small" onClick={onClose}>Close</button>
      </header>
      {canEdit && <IntelUploadForm list={list} />}
      <div className="form-grid">
        <Field label="Search indicators">
          <input type="search" placeholder="Value starts with…" value={q} onChange={(e) => { setQ(e.target.value); setPage(1); }} data-testid="intel-search" />
        </Field>
      </div>
      <FormError message={remove.error ? errorMessage(remove.error) : null} />
      {isPending ? <Loading label="Loading indicators…" /> : error && !data ? <ErrorState error={error} onRetry={() => void refetch()} /> : !data?.items.length ? (
        <Empty>{q ? 'No indicator starts with this.' : 'No indicators in this list yet.'}</Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="indicators-table">
              <thead>
                <tr><th>Type</th><th>Value</th><th className="num">Confidence</th><th className="hide-narrow">Source</th><th>Expires</th><th className="hide-narrow">Last seen</th>{canEdit && <th><span className="sr-only">Actions</span></th>}</tr>
              </thead>
              <tbody>
                {data.items.map((i) => {
                  const expired = i.expires_at !== null && Date.parse(i.expires_at) <= now;
                  return (
                    <tr key={i.id}>
                      <td>{i.type}</td>
                      <td className="mono clamp">{i.value}</td>
                      <td className="num">{i.confidence}</td>
                      <td className="hide-narrow">{i.source ?? <span className="muted">—</span>}</td>
                      <td className={expired ? 'warn-text nowrap' : 'nowrap'}>{i.expires_at ? `${expired ? 'expired ' : ''}${formatDateTime(i.expires_at)}` : <span className="muted">never</span>}</td>
                      <td className="hide-narrow nowrap">{formatDateTime(i.last_seen)}</td>
                      {canEdit && (
                        <td className="row-actions">
                          <button type="button" className="btn btn-small" onClick={() => remove.mutate({ id: list.id, indicatorId: i.id })}>Remove</button>
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager page={data.page} pages={data.pages} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
