import { create } from 'zustand';

/** Set when the API answered 401: the server has a token and this browser has not given it yet. */
export const useAuth = create<{ tokenNeeded: boolean; needToken(): void }>((set) => ({
  tokenNeeded: false,
  needToken: () => set({ tokenNeeded: true }),
}));

/** Gives the server its token; it answers with an HttpOnly session cookie. Returns an error message or null. */
export async function sendToken(token: string): Promise<string | null> {
  try {
    const res = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    if (res.ok) return null;
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    return body?.error?.message ?? `The server answered ${res.status}`;
  } catch (err) {
    return `Cannot reach the Eddy server: ${(err as Error).message}`;
  }
}
