/**
 * Wraps a loader (typically a dynamic `import()` of a heavy SDK) so that it runs on the first call
 * only, every caller sharing its promise; a failed load is tried again on the next call.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
