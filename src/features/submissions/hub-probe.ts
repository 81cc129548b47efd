/**
 * Whether the Hub answers at all, for the development server's choice of MODEL_VALIDATION=auto:
 * one unauthenticated `GET /api/whoami-v2` with a short timeout. Any HTTP answer (a 401 is the
 * usual one) means reachable; a network error or a timeout means not.
 */
export async function hubIsReachable(hubUrl: string, timeoutMs = 2000, fetchImpl: typeof fetch = fetch): Promise<boolean> {
  try {
    const response = await fetchImpl(`${hubUrl.replace(/\/+$/, '')}/api/whoami-v2`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}
