/** The submission form (help text per field, checks before sending, the server's detail as is) and the queue. */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.js';
import { useSubmit } from '../api/hooks.js';
import { SUBMIT_MODEL_TYPES, SUBMIT_PRECISIONS, WEIGHT_TYPES, type SubmitBody } from '../api/types.js';
import { useAuth } from '../auth/auth.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { usePageTitle } from '../lib/page-title.js';
import { QueueSection } from './queue-section.js';
import { TYPE_LABEL_KEY } from '../components/type-icon.js';

const MODEL_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[\w.-]{1,96}$/;
const REVISION = /^[\w./-]{1,255}$/;

interface FormState {
  model_id: string;
  revision: string;
  precision: string;
  model_type: string;
  weight_type: string;
  base_model: string;
  use_chat_template: boolean;
}

const INITIAL: FormState = {
  model_id: '',
  revision: 'main',
  precision: 'bfloat16',
  model_type: '',
  weight_type: 'Original',
  base_model: '',
  use_chat_template: false,
};

type Errors = Partial<Record<keyof FormState, MessageKey>>;

/** The checks the server would also make, done first so that a typo costs no round trip. */
export function validate(form: FormState): Errors {
  const errors: Errors = {};
  const id = form.model_id.trim();
  if (id === '') errors.model_id = 'submit.errorModelRequired';
  else if (!MODEL_ID.test(id) || id.includes('..') || id.includes('--')) errors.model_id = 'submit.errorModelFormat';
  if (form.revision.trim() !== '' && !REVISION.test(form.revision.trim())) errors.revision = 'submit.errorRevision';
  if (form.model_type === '') errors.model_type = 'submit.errorType';
  const needsBase = form.weight_type === 'Delta' || form.weight_type === 'Adapter';
  const base = form.base_model.trim();
  if (needsBase && base === '') errors.base_model = 'submit.errorBaseRequired';
  else if (base !== '' && !MODEL_ID.test(base)) errors.base_model = 'submit.errorModelFormat';
  return errors;
}

export default function SubmitPage() {
  const { t } = useI18n();
  usePageTitle(t('submit.title'));
  const auth = useAuth();
  const submit = useSubmit();
  const [form, setForm] = useState<FormState>(INITIAL);
  const [errors, setErrors] = useState<Errors>({});
  const [tried, setTried] = useState(false);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    const next = { ...form, [key]: value };
    setForm(next);
    if (tried) setErrors(validate(next));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    const found = validate(form);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0];
      document.getElementById(`submit-${first}`)?.focus();
      return;
    }
    if (!auth.token) {
      auth.openSignIn();
      return;
    }
    const body: SubmitBody = {
      model_id: form.model_id.trim(),
      revision: form.revision.trim() || 'main',
      precision: form.precision,
      model_type: form.model_type,
      weight_type: form.weight_type,
      use_chat_template: form.use_chat_template,
      ...(form.base_model.trim() ? { base_model: form.base_model.trim() } : {}),
    };
    submit.mutate(body);
  };

  const errorFor = (key: keyof FormState) =>
    errors[key] ? (
      <span id={`submit-${key}-error`} className="field-error">
        {t(errors[key]!)}
      </span>
    ) : null;
  const describedBy = (key: keyof FormState) => [`submit-${key}-help`, errors[key] ? `submit-${key}-error` : ''].filter(Boolean).join(' ');
  const needsBase = form.weight_type === 'Delta' || form.weight_type === 'Adapter';

  return (
    <div className="page submit-page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('submit.title')}</h1>
          <p className="page-lead">{t('submit.lead')}</p>
        </div>
      </div>
      <section className="card">
        <form className="form" onSubmit={onSubmit} noValidate aria-describedby="submit-auth-note" data-testid="submit-form">
          <div className="form-grid">
            <label className="field field-wide">
              <span className="field-label">
                {t('submit.modelId')} <span aria-hidden="true">*</span>
              </span>
              <input
                id="submit-model_id"
                type="text"
                value={form.model_id}
                onChange={(e) => set('model_id', e.target.value)}
                placeholder="organization/model-name"
                aria-required="true"
                aria-invalid={errors.model_id ? true : undefined}
                aria-describedby={describedBy('model_id')}
                autoComplete="off"
                spellCheck={false}
              />
              <span id="submit-model_id-help" className="field-help">
                {t('submit.modelIdHelp')}
              </span>
              {errorFor('model_id')}
            </label>
            <label className="field">
              <span className="field-label">{t('submit.revision')}</span>
              <input
                id="submit-revision"
                type="text"
                value={form.revision}
                onChange={(e) => set('revision', e.target.value)}
                aria-invalid={errors.revision ? true : undefined}
                aria-describedby={describedBy('revision')}
                spellCheck={false}
              />
              <span id="submit-revision-help" className="field-help">
                {t('submit.revisionHelp')}
              </span>
              {errorFor('revision')}
            </label>
            <label className="field">
              <span className="field-label">
                {t('submit.modelType')} <span aria-hidden="true">*</span>
              </span>
              <select
                id="submit-model_type"
                value={form.model_type}
                onChange={(e) => set('model_type', e.target.value)}
                aria-required="true"
                aria-invalid={errors.model_type ? true : undefined}
                aria-describedby={describedBy('model_type')}
              >
                <option value="">{t('submit.choose')}</option>
                {SUBMIT_MODEL_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(TYPE_LABEL_KEY[type])}
                  </option>
                ))}
              </select>
              <span id="submit-model_type-help" className="field-help">
                {t('submit.modelTypeHelp')}
              </span>
              {errorFor('model_type')}
            </label>
            <label className="field">
              <span className="field-label">{t('submit.precision')}</span>
              <select id="submit-precision" value={form.precision} onChange={(e) => set('precision', e.target.value)} aria-describedby={describedBy('precision')}>
                {SUBMIT_PRECISIONS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
              <span id="submit-precision-help" className="field-help">
                {t('submit.precisionHelp')}
              </span>
            </label>
            <label className="field">
              <span className="field-label">{t('submit.weightType')}</span>
              <select id="submit-weight_type" value={form.weight_type} onChange={(e) => set('weight_type', e.target.value)} aria-describedby={describedBy('weight_type')}>
                {WEIGHT_TYPES.map((w) => (
                  <option key={w} value={w}>
                    {w}
                  </option>
                ))}
              </select>
              <span id="submit-weight_type-help" className="field-help">
                {t('submit.weightTypeHelp')}
              </span>
            </label>
            <label className="field">
              <span className="field-label">
                {t('submit.baseModel')} {needsBase && <span aria-hidden="true">*</span>}
              </span>
              <input
                id="submit-base_model"
                type="text"
                value={form.base_model}
                onChange={(e) => set('base_model', e.target.value)}
                placeholder="organization/base-model"
                aria-required={needsBase}
                aria-invalid={errors.base_model ? true : undefined}
                aria-describedby={describedBy('base_model')}
                spellCheck={false}
              />
              <span id="submit-base_model-help" className="field-help">
                {t('submit.baseModelHelp')}
              </span>
              {errorFor('base_model')}
            </label>
            <label className="field field-check field-wide">
              <span className="check">
                <input
                  id="submit-use_chat_template"
                  type="checkbox"
                  checked={form.use_chat_template}
                  onChange={(e) => set('use_chat_template', e.target.checked)}
                  aria-describedby="submit-use_chat_template-help"
                />
                <span className="field-label">{t('submit.chatTemplate')}</span>
              </span>
              <span id="submit-use_chat_template-help" className="field-help">
                {t('submit.chatTemplateHelp')}
              </span>
            </label>
          </div>
          {submit.isError && (
            <div className="form-error" role="alert" data-testid="submit-error">
              <strong>{t('submit.failed')}</strong> <span className="server-detail">{submit.error instanceof ApiError ? submit.error.detail : submit.error.message}</span>
            </div>
          )}
          {submit.isSuccess && (
            <div className="form-success" role="status" data-testid="submit-success">
              {submit.data.message}
            </div>
          )}
          <div className="form-actions">
            <p id="submit-auth-note" className="field-help">
              {auth.me ? t('submit.asUser', { name: auth.me.name }) : t('submit.signInNote')}
            </p>
            <button type="submit" className="button button-primary" disabled={submit.isPending} data-testid="submit-button">
              {submit.isPending ? t('submit.sending') : t('submit.button')}
            </button>
          </div>
        </form>
      </section>
      <QueueSection />
    </div>
  );
}
