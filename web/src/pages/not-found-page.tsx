import { useI18n } from '../i18n/i18n.js';
import { Link } from '../lib/router.js';
import { usePageTitle } from '../lib/page-title.js';

export default function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('notFound.title'));
  return (
    <div className="page">
      <h1 className="page-title">{t('notFound.title')}</h1>
      <p className="page-lead">{t('notFound.body')}</p>
      <Link className="button button-primary" to="/">
        {t('notFound.back')}
      </Link>
    </div>
  );
}
