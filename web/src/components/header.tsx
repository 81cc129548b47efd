/** The top bar: logo and title, the pages, language, theme and sign-in. */
import { useUiConfig } from '../api/hooks.js';
import { useAuth } from '../auth/auth.js';
import { languageName, useI18n } from '../i18n/i18n.js';
import { Link, useLocation } from '../lib/router.js';
import { MonitorIcon, MoonIcon, SunIcon, UserIcon } from './icons.js';
import { useTheme, type ThemePreference } from './theme.js';
import { useBranding } from './branding.js';

const NAV = [
  { to: '/', key: 'nav.leaderboard' },
  { to: '/compare', key: 'nav.compare' },
  { to: '/submit', key: 'nav.submit' },
  { to: '/vote', key: 'nav.vote' },
  { to: '/about', key: 'nav.about' },
] as const;

const NEXT_THEME: Record<ThemePreference, ThemePreference> = { system: 'light', light: 'dark', dark: 'system' };

export function Header() {
  const { t, language, languages, setLanguage } = useI18n();
  const { pathname } = useLocation();
  const branding = useBranding();
  const { preference, setPreference } = useTheme();
  const auth = useAuth();
  const config = useUiConfig();

  const themeLabel = t(`theme.${preference}`);
  const ThemeIcon = preference === 'system' ? MonitorIcon : preference === 'dark' ? MoonIcon : SunIcon;
  const isActive = (to: string) => (to === '/' ? pathname === '/' || pathname.startsWith('/models/') : pathname.startsWith(to));

  return (
    <header className="site-header">
      <div className="header-inner">
        <Link to="/" className="brand" aria-label={t('nav.home', { title: branding.title })}>
          {branding.logoUrl ? <img src={branding.logoUrl} alt="" className="brand-logo" /> : <span className="brand-mark" aria-hidden="true" />}
          <span className="brand-text">
            <span className="brand-title">{branding.title}</span>
            {branding.subtitle && <span className="brand-subtitle">{branding.subtitle}</span>}
          </span>
        </Link>
        <nav aria-label={t('nav.main')} className="main-nav">
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} className="nav-link" aria-current={isActive(item.to) ? 'page' : undefined}>
              {t(item.key)}
            </Link>
          ))}
          {branding.links.map((link) => (
            <a key={link.url} href={link.url} className="nav-link nav-link-external" {...(/^https?:/.test(link.url) ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
              {link.label}
            </a>
          ))}
        </nav>
        <div className="header-tools">
          {languages.length > 1 && (
            <label className="language-select">
              <span className="visually-hidden">{t('header.language')}</span>
              <select value={language} onChange={(event) => setLanguage(event.target.value)} data-testid="language-select">
                {languages.map((code) => (
                  <option key={code} value={code}>
                    {languageName(code)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            className="icon-button"
            onClick={() => setPreference(NEXT_THEME[preference])}
            aria-label={t('theme.toggle', { current: themeLabel })}
            title={t('theme.toggle', { current: themeLabel })}
            data-testid="theme-toggle"
          >
            <ThemeIcon size={18} />
          </button>
          {auth.me ? (
            <div className="user-chip">
              <UserIcon size={16} />
              <span className="user-name" data-testid="user-name">
                {auth.me.name}
              </span>
              <button type="button" className="link-button" onClick={auth.signOut}>
                {t('auth.signOut')}
              </button>
            </div>
          ) : (
            <button type="button" className="button button-small" onClick={auth.openSignIn} disabled={config.isLoading}>
              {auth.invalid ? t('auth.signInAgain') : t('auth.signIn')}
            </button>
          )}
        </div>
      </div>
    </header>
  );
}
