import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/** An error the server answered (`{ error: { code, message } }`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A page of a list: the items and, when there are more, the cursor of the next page. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** Calls the server's JSON API with the page's own cookie; a body is sent as JSON. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers:
        init.body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The server did not answer. Is `ngb serve` still running?');
  }
  if (response.status === 401) {
    window.location.assign('/login');
    throw new ApiError(401, 'unauthorized', 'Sign in again.');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http', error?.message ?? `The server answered ${response.status}.`);
  }
  return body as T;
}

/** Builds a query string from the defined, non-empty values. */
export function query(values: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

const prefetched = new Map<string, Promise<unknown>>();
const given = new Map<string, unknown>();

/**
 * Takes the API answers the server wrote into the page (a JSON data block, by API path): the first
 * {@link useApi} of such a path starts with it and asks nothing.
 */
export function takeInitialState(elementId: string): void {
  const element = document.getElementById(elementId);
  if (!element?.textContent) return;
  try {
    const state = JSON.parse(element.textContent) as Record<string, unknown>;
    for (const [path, value] of Object.entries(state)) given.set(path, value);
  } catch {
    // Not the server's JSON: the page asks for what it needs as usual.
  }
  element.remove();
}

/**
 * Starts loading `path` now, before the first render: the first {@link useApi} of that path takes
 * the answer instead of asking again. The page's first figures then wait for no render and queue
 * behind none of the other requests (browsers open at most six connections to one server).
 */
export function prefetch(path: string): void {
  if (given.has(path)) return;
  const pending = api(path);
  pending.catch(() => undefined);
  prefetched.set(path, pending);
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads `path` (again when it changes or on `reload()`); `null` loads nothing. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>(() => {
    if (path === null || !given.has(path)) return { loading: path !== null };
    const data = given.get(path) as T;
    given.delete(path);
    return { data, loading: false };
  });
  // The path whose answer came with the page: the first load is already done.
  const loadedWithPage = useRef(state.data !== undefined ? path : null);
  const [round, setRound] = useState(0);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  // A layout effect runs right after the render, where an effect would wait for the next frame to
  // be painted: the request starts (or the prefetched answer is taken) without that wait.
  useLayoutEffect(() => {
    if (path === null) return;
    if (loadedWithPage.current !== null) {
      const loaded = loadedWithPage.current === path;
      loadedWithPage.current = null;
      if (loaded) return;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    const early = prefetched.get(path) as Promise<T> | undefined;
    prefetched.delete(path);
    (early ?? api<T>(path, { signal: controller.signal })).then(
      (data) => mounted.current && setState({ data, loading: false }),
      (error: unknown) => {
        if ((error as Error).name === 'AbortError' || !mounted.current) return;
        setState({ error: error instanceof ApiError ? error : new ApiError(0, 'client', String(error)), loading: false });
      },
    );
    return () => controller.abort();
  }, [path, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
