/** The app shell: providers, header, the routed page. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from './api/client.js';
import { DEFAULT_UI_CONFIG, useUiConfig } from './api/hooks.js';
import { AuthProvider } from './auth/auth.js';
import { Header } from './components/header.js';
import { Loading } from './components/states.js';
import { ThemeProvider } from './components/theme.js';
import { I18nProvider, useI18n } from './i18n/i18n.js';
import { LeaderboardPage } from './leaderboard/leaderboard-page.js';
import { matchPrefix, useLocation } from './lib/router.js';

const ModelPage = lazy(() => import('./pages/model-page.js'));
const ComparePage = lazy(() => import('./pages/compare-page.js'));
const SubmitPage = lazy(() => import('./pages/submit-page.js'));
const VotePage = lazy(() => import('./pages/vote-page.js'));
const AboutPage = lazy(() => import('./pages/about-page.js'));
const AuthCallbackPage = lazy(() => import('./pages/auth-callback-page.js'));
const NotFoundPage = lazy(() => import('./pages/not-found-page.js'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx will not change by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

function Routes() {
  const { pathname } = useLocation();
  if (pathname === '/' || pathname === '/index.html') return <LeaderboardPage />;
  const model = matchPrefix(pathname, '/models/');
  if (model && model.includes('/')) return <ModelPage name={model} />;
  if (pathname === '/compare') return <ComparePage />;
  if (pathname === '/submit') return <SubmitPage />;
  if (pathname === '/vote') return <VotePage />;
  if (pathname === '/about') return <AboutPage />;
  if (pathname === '/auth/callback') return <AuthCallbackPage />;
  return <NotFoundPage />;
}

function Main({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const { t } = useI18n();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // Moving between pages: put the keyboard and screen reader at the new page's start.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [pathname]);
  const wide = pathname === '/';
  return (
    <main id="main" ref={main} tabIndex={-1} className={wide ? 'main main-wide' : 'main'} aria-label={t('nav.content')}>
      {children}
    </main>
  );
}

function Shell() {
  const { t } = useI18n();
  return (
    <AuthProvider>
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <Header />
      <Main>
        <Suspense fallback={<Loading />}>
          <Routes />
        </Suspense>
      </Main>
    </AuthProvider>
  );
}

function Localized() {
  const config = useUiConfig().data ?? DEFAULT_UI_CONFIG;
  return (
    <I18nProvider configured={config.languages} defaultLanguage={config.default_language}>
      <Shell />
    </I18nProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ThemeProvider>
        <Localized />
      </ThemeProvider>
    </QueryClientProvider>
  );
}
