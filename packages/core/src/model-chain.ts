import { errorMessage, LlmApiError, type LlmProvider } from '@ngb/plugin-sdk';
import { callModelWithRetries, type ModelCallRetry } from './model-call-retry';

/** One model of a turn's chain: the provider to call and the model to ask it for. */
export interface ModelRoute {
  provider: LlmProvider;
  /** The model id sent; undefined leaves it to the provider's default. */
  model?: string;
}

/** Where a turn is in its chain; shared by every model call of the turn. */
export interface ModelChainPosition {
  /** The route calls go to now; a turn that fell back stays on the later model for its other calls. */
  index: number;
}

/** A move to the next model of the chain, for the `model.fallback` event. */
export interface ModelFallback {
  from: string;
  to: string;
  error: string;
}

/** How a route is named in events and logs: `provider/model`. */
function routeLabel(route: ModelRoute): string {
  return `${route.provider.name}/${route.model ?? 'default'}`;
}

/**
 * Runs one model call on the chain: on the current route with its in-place retries (see
 * {@link callModelWithRetries}), and when a retryable error outlives them, on the next route, and so
 * on. A non-retryable error (400: the request itself is wrong; 401/403: a credential the operator
 * must fix) ends the call at once: another model would hide it, and a bad request would fail there too.
 * @throws the last error when no route is left, the first non-retryable one, or the abort reason
 */
export async function callModelChain<T>(
  routes: readonly ModelRoute[],
  position: ModelChainPosition,
  attempt: (route: ModelRoute) => Promise<T>,
  retry: ModelCallRetry,
  onFallback: (fallback: ModelFallback) => void,
): Promise<T> {
  for (;;) {
    const route = routes[position.index] as ModelRoute;
    try {
      return await callModelWithRetries(() => attempt(route), retry);
    } catch (error) {
      const next = routes[position.index + 1];
      if (retry.signal.aborted || next === undefined || !LlmApiError.isInstance(error) || !error.retryable) throw error;
      position.index += 1;
      onFallback({ from: routeLabel(route), to: routeLabel(next), error: errorMessage(error) });
    }
  }
}
