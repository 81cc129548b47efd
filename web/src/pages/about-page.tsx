import { useUiConfig } from '../api/hooks.js';
import { useBranding } from '../components/branding.js';
import { Markdown } from '../components/markdown.js';
import { ErrorState, Loading } from '../components/states.js';
import { useI18n } from '../i18n/i18n.js';
import { usePageTitle } from '../lib/page-title.js';

/** The operator's about page (Markdown from UI_CONFIG_FILE). */
export default function AboutPage() {
  const { t } = useI18n();
  usePageTitle(t('nav.about'));
  const config = useUiConfig();
  const branding = useBranding();
  if (config.isPending) return <Loading />;
  if (config.isError) return <ErrorState error={config.error} onRetry={() => void config.refetch()} />;
  return (
    <div className="page about-page">
      <h1 className="page-title">{t('about.title', { title: branding.title })}</h1>
      <section className="card prose">
        {branding.aboutMarkdown.trim() ? <Markdown source={branding.aboutMarkdown} /> : <p>{t('about.empty')}</p>}
      </section>
    </div>
  );
}
