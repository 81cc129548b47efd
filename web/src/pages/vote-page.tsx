/** Pending models ordered by votes (one request), up and down votes, your own votes marked. */
import { useMemo } from 'react';
import { ApiError } from '../api/client.js';
import { modelPath, usePending, useUserVotes, useVote, type VoteInput } from '../api/hooks.js';
import type { VoteType } from '../api/types.js';
import { useAuth } from '../auth/auth.js';
import { ThumbDownIcon, ThumbUpIcon } from '../components/icons.js';
import { EmptyState, ErrorState, isUnavailable, Loading } from '../components/states.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../lib/router.js';
import { usePageTitle } from '../lib/page-title.js';
import { useWaitTime } from './queue-section.js';
import { TypeLabel } from '../components/type-icon.js';

export default function VotePage() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle(t('vote.title'));
  const auth = useAuth();
  const pending = usePending();
  const mine = useUserVotes(auth.me?.name);
  const vote = useVote();
  const waitTime = useWaitTime();

  // The user's vote per model (and per precision/revision when the server says).
  const myVotes = useMemo(() => {
    const map = new Map<string, VoteType>();
    for (const v of mine.data ?? []) {
      const model = v.model ?? v.model_id;
      map.set(model, v.vote_type);
      if (v.precision) map.set(`${model}|${v.precision}`, v.vote_type);
    }
    return map;
  }, [mine.data]);

  const cast = (input: VoteInput) => {
    if (!auth.token) {
      auth.openSignIn();
      return;
    }
    vote.mutate(input);
  };

  return (
    <div className="page vote-page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('vote.title')}</h1>
          <p className="page-lead">{t('vote.lead')}</p>
        </div>
      </div>
      {!auth.me && (
        <p className="notice">
          {t('vote.signInNote')}{' '}
          <button type="button" className="link-button" onClick={auth.openSignIn}>
            {t('auth.signIn')}
          </button>
        </p>
      )}
      {vote.isError && (
        <div className="form-error" role="alert" data-testid="vote-error">
          <strong>{t('vote.failed')}</strong> <span className="server-detail">{vote.error instanceof ApiError ? vote.error.detail : vote.error.message}</span>
        </div>
      )}
      <section className="card" aria-labelledby="pending-title">
        <h2 id="pending-title" className="card-title">
          {t('vote.pending', { count: pending.data ? i18n.integer(pending.data.length) : '…' })}
        </h2>
        {pending.isPending ? (
          <Loading rows={4} />
        ) : pending.isError ? (
          isUnavailable(pending.error) ? (
            <EmptyState title={t('common.unavailable')} />
          ) : (
            <ErrorState error={pending.error} onRetry={() => void pending.refetch()} />
          )
        ) : pending.data.length === 0 ? (
          <EmptyState title={t('vote.empty')} />
        ) : (
          <ol className="vote-list" data-testid="vote-list">
            {pending.data.map((item, index) => {
              const key = `${item.name}|${item.precision ?? ''}`;
              const my = myVotes.get(key) ?? myVotes.get(item.name);
              const busy = vote.isPending && vote.variables?.model === item.name;
              const button = (type: VoteType) => {
                const active = my === type;
                const Icon = type === 'up' ? ThumbUpIcon : ThumbDownIcon;
                return (
                  <button
                    type="button"
                    className={active ? `vote-button vote-${type} active` : `vote-button vote-${type}`}
                    aria-pressed={active}
                    aria-label={t(type === 'up' ? (active ? 'vote.retractUp' : 'vote.up') : active ? 'vote.retractDown' : 'vote.down', { name: item.name })}
                    disabled={busy}
                    onClick={() => cast({ model: item.name, vote: active ? null : type, revision: item.revision, precision: item.precision })}
                  >
                    <Icon size={16} />
                  </button>
                );
              };
              return (
                <li key={`${key}|${item.revision ?? ''}`} className="vote-item" data-model={item.name}>
                  <span className="vote-rank">{index + 1}</span>
                  <div className="vote-main">
                    <Link to={`/models/${modelPath(item.name)}`} className="vote-name break-all">
                      {item.name}
                    </Link>
                    <span className="meta-line">
                      {item.precision && <span className="mono">{item.precision}</span>}
                      {item.model_type && (
                        <span>
                          <TypeLabel value={item.model_type} />
                        </span>
                      )}
                      {item.submitter && <span>{t('vote.by', { name: item.submitter })}</span>}
                      <span>{t('vote.waiting', { time: waitTime(item) })}</span>
                      {my && <span className="badge badge-official">{t(my === 'up' ? 'vote.youUp' : 'vote.youDown')}</span>}
                    </span>
                  </div>
                  <div className="vote-controls">
                    {button('up')}
                    <span className="vote-count" aria-label={t('vote.count', { count: item.votes ?? 0 })}>
                      {i18n.integer(item.votes ?? 0)}
                    </span>
                    {button('down')}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </div>
  );
}
